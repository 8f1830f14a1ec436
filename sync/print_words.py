"""Plain English for printed records that parents, heads and governors read: days as "Wednesday
2 December 2026", times as "9.10am", answers in their question's own labels, and never a code,
an ISO date or a field name."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from schemas.scale_words import rating

LONDON = ZoneInfo("Europe/London")


def long_day(value) -> str:
    """'2026-12-02' or a date -> 'Wednesday 2 December 2026'; blank stays blank."""
    if not value:
        return ""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day:%A} {day.day} {day:%B %Y}"


def clock(value) -> str:
    """'09:10:00' or a time -> '9.10am'; '15:00' -> '3pm'."""
    if not value:
        return ""
    moment = time.fromisoformat(value) if isinstance(value, str) else value
    hour = moment.hour % 12 or 12
    minutes = f".{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{'am' if moment.hour < 12 else 'pm'}"


def _local(value) -> datetime:
    """A stored moment in the school's own time (SQLite gives them back without a zone: UTC)."""
    stamp = datetime.fromisoformat(value) if isinstance(value, str) else value
    return (stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)).astimezone(LONDON)


def moment(value) -> str:
    """An ISO date-time -> 'Wednesday 2 December 2026 at 3.30pm', in the school's own time."""
    if not value:
        return ""
    stamp = _local(value)
    return f"{long_day(stamp.date())} at {clock(stamp.time())}"


def day_of(value) -> str:
    """The school day a stored moment fell on, as words."""
    return long_day(_local(value).date()) if value else ""


def humane(code: str) -> str:
    """A code no list labels ('learning_teaching') as words ('Learning teaching')."""
    text = str(code).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def label(options: list | None, value) -> str:
    """A value's label from a template list ({value, label}), or the value in words."""
    for option in options or ():
        if option.get("value") == value:
            return option["label"]
    return humane(value)


def answer(question: dict, value) -> str:
    """An answer as its question's own words; '' when there is nothing to say."""
    if value is None or value == "" or value == []:
        return ""
    qtype = question.get("type")
    rated = rating(question, value)
    if rated:
        return rated["face"]
    if qtype == "boolean":
        return "Yes" if value else "No"
    if qtype == "date":
        return long_day(value)
    if qtype == "datetime":
        return moment(value)
    if qtype == "time":
        return clock(value)
    if qtype in ("choice", "multichoice"):
        values = value if isinstance(value, list) else [value]
        return ", ".join(label(question.get("options"), v) for v in values)
    if qtype == "leuven" and isinstance(value, dict):
        return f"Wellbeing {value.get('wellbeing')}, Involvement {value.get('involvement')}"
    if qtype == "photo":
        count = len(value)
        return f"{count} photo{'' if count == 1 else 's'}, kept with the record"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
