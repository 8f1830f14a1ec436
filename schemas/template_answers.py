"""Check an entry's answers against the template version it was filled from.

Errors are keyed by question id so the PWA can show each one next to its question.
Questions kept in the entry core ("core") or answered per stop or per pupil ("repeat") are
type-checked if they appear in answers, but never required there: the core schema owns them.

A question may carry a condition, {"show_if": {"question": "worry", "in": ["worried"]}}: it is
asked only when an earlier question was answered with one of those values (for a multichoice,
any of them chosen), and only if that earlier question was itself asked. A question not asked is
never required, and an answer to it is refused: the app drops such answers before saving, so
one arriving means the answers contradict each other (say, "no worries" and a worry written
down), which staff should see rather than the server silently keep or lose. The PWA's copy of
these rules is pwa/js/questions.js `visibleQuestions`.

A partial entry (pupil mode left half-way, core.partial) keeps what was given: nothing is
required, everything given is checked as usual.
"""

import math
import re
from datetime import date, datetime, time

from schemas.entries import RAG

SHA256 = re.compile(r"^[0-9a-f]{64}\Z")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}\Z")
TIME = re.compile(r"^\d{2}:\d{2}(:\d{2})?\Z")
TEXT_LIMITS = {"text": 500, "longtext": 5000}
FACES = {"faces3": 3, "faces5": 5}
LEUVEN_PARTS = ("wellbeing", "involvement")
MAX_PHOTOS = 10


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _whole_in(value, low, high, what: str) -> str | None:
    if not _is_int(value) or not low <= value <= high:
        return f"Choose {what} from {low:g} to {high:g}."
    return None


def _text(question, value):
    limit = TEXT_LIMITS[question["type"]]
    if not isinstance(value, str):
        return "Must be text."
    return f"Keep this under {limit} characters." if len(value) > limit else None


def _rag(question, value):
    return None if value in RAG else "Must be red, amber or green."


def _faces(question, value):
    return _whole_in(value, 1, FACES[question["type"]], "a face")


def _scale(question, value):
    return _whole_in(value, question["min"], question["max"], "a number")


def _leuven(question, value):
    if not isinstance(value, dict) or set(value) != set(LEUVEN_PARTS):
        return "Give both a well-being and an involvement level."
    bad = [part for part in LEUVEN_PARTS if _whole_in(value[part], 1, 5, "a level")]
    return f"{' and '.join(bad)} must be a level from 1 to 5." if bad else None


def _number(question, value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return "Must be a number."
    if value < question.get("min", -math.inf) or value > question.get("max", math.inf):
        return f"Must be between {question.get('min', '-')} and {question.get('max', '-')}."
    return None


def _parses(value, pattern, parse) -> bool:
    if not isinstance(value, str) or (pattern and not pattern.match(value)):
        return False
    try:
        parse(value)
    except ValueError:
        return False
    return True


def _date(question, value):
    return None if _parses(value, DATE, date.fromisoformat) else "Must be a date, YYYY-MM-DD."


def _time(question, value):
    return None if _parses(value, TIME, time.fromisoformat) else "Must be a time, HH:MM."


def _aware(value: str) -> datetime:
    # Without an offset the moment is a guess (summer time, or a device in another zone).
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("no offset")
    return moment


def _datetime(question, value):
    if _parses(value, None, _aware):
        return None
    return "Must be a date and time with its offset, such as 2026-12-02T14:30:00Z."


def _boolean(question, value):
    return None if isinstance(value, bool) else "Must be yes or no (true or false)."


def _allowed(question) -> set:
    return {option["value"] for option in question.get("options", [])}


def _choice(question, value):
    return (
        None
        if isinstance(value, str) and value in _allowed(question)
        else "Not one of this question's options."
    )


def _multichoice(question, value):
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return "Must be a list of options."
    if len(value) != len(set(value)):
        return "Each option may be chosen once."
    unknown = sorted(set(value) - _allowed(question))
    return f"Not options of this question: {', '.join(unknown)}." if unknown else None


def _photo(question, value):
    if not isinstance(value, list) or len(value) > MAX_PHOTOS:
        return f"Must be a list of up to {MAX_PHOTOS} uploaded photos."
    bad = [v for v in value if not isinstance(v, str) or not SHA256.match(v)]
    return "Each photo must be the sha256 of an uploaded attachment." if bad else None


CHECKS = {
    "text": _text,
    "longtext": _text,
    "rag": _rag,
    "faces3": _faces,
    "faces5": _faces,
    "leuven": _leuven,
    "number": _number,
    "date": _date,
    "time": _time,
    "datetime": _datetime,
    "boolean": _boolean,
    "choice": _choice,
    "multichoice": _multichoice,
    "photo": _photo,
    "scale": _scale,
}
QUESTION_TYPES = tuple(CHECKS)
# Questions with a set of answers a condition can name (text, numbers and dates have none).
CONDITION_TYPES = ("choice", "multichoice", "rag", "faces3", "faces5", "scale", "boolean")


def condition_value_problem(question: dict, value) -> str | None:
    """Why `value` can never be an answer to `question`, for a show_if's "in" list."""
    qtype = question["type"]
    if qtype == "multichoice":
        return _choice(question, value)
    return CHECKS[qtype](question, value)


def _same(value, wanted) -> bool:
    # True == 1 in Python: a yes/no answer must not meet a face, nor a face a yes/no.
    return isinstance(value, bool) == isinstance(wanted, bool) and value == wanted


def _meets(value, wanted: list) -> bool:
    if isinstance(value, list):
        return any(_same(v, w) for v in value for w in wanted)
    return any(_same(value, w) for w in wanted)


def asked(questions: dict, answers: dict) -> set[str]:
    """Ids of the questions these answers lead to, in template order: a question with show_if
    is asked when the question it names was asked and its answer is one of the listed values.
    `questions`: answerable(definition)."""
    found = set()
    for qid, (question, _) in questions.items():
        condition = question.get("show_if")
        if condition is None or (
            condition["question"] in found
            and _meets(answers.get(condition["question"]), condition["in"])
        ):
            found.add(qid)
    return found


def answerable(definition: dict) -> dict[str, tuple[dict, bool]]:
    """Question id -> (question, whether it must be answered in answers)."""
    found = {}
    for section in definition.get("sections", []):
        for question in section.get("questions", []):
            must = (
                bool(question.get("required"))
                and "core" not in question
                and "repeat" not in section
            )
            found[question["id"]] = (question, must)
    return found


def _not_asked(questions: dict, question: dict) -> str:
    earlier = questions[question["show_if"]["question"]][0]
    return (
        f"This question is only asked after another answer to “{earlier.get('prompt', earlier['id'])}”."
        " Leave it out, or change that answer."
    )


def validate_answers(
    definition: dict, answers, questions: dict | None = None, *, partial: bool = False
) -> dict[str, list[str]]:
    """Field-level errors by question id; empty when the answers fit the template.
    `questions`: answerable(definition), when the caller keeps it for many entries.
    `partial`: the entry was left half-way (core.partial), so no answer is required."""
    if not isinstance(answers, dict):
        return {"_schema": ["Answers must be an object keyed by question id."]}
    questions = answerable(definition) if questions is None else questions
    shown = asked(questions, answers)
    errors: dict[str, list[str]] = {}
    for key in answers:
        if key not in questions:
            errors[key] = ["Not a question on this template version."]
    for qid, (question, must) in questions.items():
        value = answers.get(qid)
        blank = value is None or value == "" or value == []
        if qid not in shown:
            if not blank:
                errors[qid] = [_not_asked(questions, question)]
            continue
        if blank:
            if must and not partial:
                errors[qid] = ["An answer is required."]
            continue
        problem = CHECKS[question["type"]](question, value)
        if problem:
            errors[qid] = [problem]
    return errors
