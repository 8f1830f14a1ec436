"""Exit data a given number of steps on from the entry data (schemas/measures.py says what a
step is for each measure), with the small spread real re-tests show."""

from random import Random

from schemas.measures import (
    LEUVEN_RANGE,
    MONTHS_PER_STEP,
    POINTS_PER_STEP,
    SCORE_RANGE,
    SUB_LEVEL,
)

LEVELS = [f"{n}{letter}" for n in range(1, 9) for letter in "cba"]


def exit_data(rng: Random, measure: str, entry: dict, gain: int) -> dict:
    """Exit data `gain` whole steps above the entry data (0 means no step)."""
    if measure == "standardised_score":
        score = entry["score"] + gain * POINTS_PER_STEP + rng.randint(0, POINTS_PER_STEP - 1)
        return {"score": min(score, SCORE_RANGE[1])}
    if measure == "reading_age":
        months = entry["years"] * 12 + entry["months"]
        months += gain * MONTHS_PER_STEP + rng.randint(0, MONTHS_PER_STEP - 1)
        return {"years": months // 12, "months": months % 12}
    if measure == "sub_level":
        match = SUB_LEVEL.match(entry["level"])
        index = LEVELS.index(match.group(0)) + gain
        return {"level": LEVELS[min(index, len(LEVELS) - 1)]}
    if measure == "leuven":
        top = LEUVEN_RANGE[1]
        return {
            "wellbeing": min(top, entry["wellbeing"] + gain),
            "involvement": min(top, entry["involvement"] + max(0, gain - rng.randint(0, 1))),
        }
    if measure == "custom_scale":
        words = entry["value"] + (0 if gain == 0 else rng.randint(4 * gain, 6 * gain))
        return {"value": min(words, entry.get("max", words)), "max": entry.get("max", 40)}
    raise ValueError(f"No exit data for a {measure} measure")
