"""Entry and exit data typed by the intervention's measure (FORMS.md §2), and what a "step" is.

Shapes, one per measure type (schemas.codes.MEASURE_TYPES):

    standardised_score  {"score": 40-160}
    reading_age         {"years": 3-18, "months": 0-11}
    sub_level           {"level": "2b"}   levels 1-8; within a level c < b < a; 1a < 2c
    leuven              {"wellbeing": 1-5, "involvement": 1-5}
    custom_scale        {"value": number, "max": number (optional)}
    qualitative         {"note": text}

A STEP is the unit of progress a provision map counts ("4/6 moved >= 1 step"). It is chosen so
that one step is a change a class teacher would notice, not measurement noise:

    standardised_score  5 points (about a third of a standard deviation of 15)
    reading_age         6 months of reading age
    sub_level           one sub-level (2c -> 2b is one step; 2a -> 3c is one step)
    leuven              +1 on either scale without a fall on the other: the larger rise counts;
                        a rise on one scale with a fall on the other is no step (0)
    custom_scale        1 unit of the school's own scale
    qualitative         not counted (None): a note has no distance

Steps are whole numbers truncated toward zero, so a fall gives negative steps and a half-step
gives none.
"""

import math
import re

SCORE_RANGE = (40, 160)
READING_YEARS = (3, 18)
READING_MONTHS = (0, 11)
LEUVEN_RANGE = (1, 5)
SUB_LEVEL = re.compile(r"^([1-8])([abc])$")
SUB_ORDER = {"c": 0, "b": 1, "a": 2}
NOTE_MAX = 2000
POINTS_PER_STEP = 5
MONTHS_PER_STEP = 6
# The demo school and early imports spelt the custom scale {"score", "out_of"}; read both.
CUSTOM_ALIASES = {"score": "value", "out_of": "max"}


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _whole(value, low: int, high: int) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return f"Must be a whole number from {low} to {high}."
    return None


def _standardised(data: dict) -> dict:
    low, high = SCORE_RANGE
    if _number(data.get("score")) and low <= data["score"] <= high:
        return {}
    return {"score": [f"Must be a standardised score from {low} to {high}."]}


def _reading_age(data: dict) -> dict:
    errors = {
        key: [p]
        for key, p in (
            ("years", _whole(data.get("years"), *READING_YEARS)),
            ("months", _whole(data.get("months"), *READING_MONTHS)),
        )
        if p
    }
    return errors


def _sub_level(data: dict) -> dict:
    level = data.get("level")
    if isinstance(level, str) and SUB_LEVEL.match(level.strip().lower()):
        return {}
    return {"level": ["Give a sub-level such as 2c, 2b or 2a (levels 1 to 8)."]}


def _leuven(data: dict) -> dict:
    return {
        key: [p]
        for key in ("wellbeing", "involvement")
        if (p := _whole(data.get(key), *LEUVEN_RANGE))
    }


def _custom(data: dict) -> dict:
    data = custom_values(data)
    errors = {} if _number(data.get("value")) else {"value": ["Must be a number."]}
    if "max" in data and not (_number(data["max"]) and data["max"] > 0):
        errors["max"] = ["Must be a number above 0."]
    elif not errors and "max" in data and data["value"] > data["max"]:
        errors["value"] = [f"Must not be more than the scale's maximum, {data['max']:g}."]
    return errors


def _qualitative(data: dict) -> dict:
    note = data.get("note")
    if isinstance(note, str) and 0 < len(note.strip()) <= NOTE_MAX:
        return {}
    return {"note": [f"Write a short note (up to {NOTE_MAX} characters)."]}


CHECKS = {
    "standardised_score": (_standardised, {"score"}),
    "reading_age": (_reading_age, {"years", "months"}),
    "sub_level": (_sub_level, {"level"}),
    "leuven": (_leuven, {"wellbeing", "involvement"}),
    "custom_scale": (_custom, {"value", "max", "score", "out_of"}),
    "qualitative": (_qualitative, {"note"}),
}


def custom_values(data: dict) -> dict:
    return {CUSTOM_ALIASES.get(key, key): value for key, value in data.items()}


def measure_errors(measure: str, data) -> dict:
    """Field errors for one entry_data/exit_data object; empty when it fits the measure."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        return {"_schema": ["Must be an object."]}
    check, allowed = CHECKS[measure]
    errors = {
        key: [f"Not part of a {measure.replace('_', ' ')} measure."]
        for key in data
        if key not in allowed
    }
    return {**errors, **check(data)}


def _position(measure: str, data: dict) -> float | None:
    """Where a valid measurement sits on the measure's line, in steps."""
    if measure == "standardised_score":
        return data["score"] / POINTS_PER_STEP
    if measure == "reading_age":
        return (data["years"] * 12 + data["months"]) / MONTHS_PER_STEP
    if measure == "sub_level":
        match = SUB_LEVEL.match(data["level"].strip().lower())
        return (int(match.group(1)) - 1) * 3 + SUB_ORDER[match.group(2)]
    if measure == "custom_scale":
        return custom_values(data)["value"]
    return None


def steps_moved(measure: str, entry: dict | None, exit: dict | None) -> int | None:
    """Whole steps from entry to exit data (see the module docstring); None if not countable."""
    if (
        measure not in CHECKS
        or measure == "qualitative"
        or not entry
        or not exit
        or measure_errors(measure, entry)
        or measure_errors(measure, exit)
    ):
        return None
    if measure == "leuven":
        rises = [exit[k] - entry[k] for k in ("wellbeing", "involvement")]
        if min(rises) >= 0:
            return max(rises)
        return min(rises) if max(rises) <= 0 else 0
    # Subtract before dividing: position differences are exact for whole scores and months.
    return math.trunc(round(_position(measure, exit) - _position(measure, entry), 9))


def describe(measure: str, data: dict | None) -> str:
    """Entry or exit data as a provision map cell, in words a TA reads without a key:
    "Score 85", "Reading age 7 years 4 months", "Level 2b", "Wellbeing 2, Involvement 3",
    "6 out of 40"."""
    if not data or measure_errors(measure, data):
        return "" if not data else ", ".join(f"{k}: {v}" for k, v in data.items())
    if measure == "standardised_score":
        return f"Score {data['score']:g}"
    if measure == "reading_age":
        years, months = data["years"], data["months"]
        return f"Reading age {years} years" + (f" {_plural(months, 'month')}" if months else "")
    if measure == "sub_level":
        return f"Level {data['level'].strip().lower()}"
    if measure == "leuven":
        return f"Wellbeing {data['wellbeing']}, Involvement {data['involvement']}"
    if measure == "custom_scale":
        values = custom_values(data)
        return f"{values['value']:g}" + (f" out of {values['max']:g}" if "max" in values else "")
    return data["note"].strip()


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"
