"""The words a SENCO reads in the MIS run log and review prompts: dates as "Wed 2 Dec 2026", codes
with their meaning, counts with their plurals. API fields stay ISO; these are for people."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from schemas.codes import NEED_TYPES, SEN_PROVISION

LONDON = ZoneInfo("Europe/London")


def day(value: date | datetime | None) -> str:
    """A date, or a moment read in the school's own time, as "Wed 2 Dec 2026"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(LONDON).date()
    return f"{value:%a} {value.day} {value:%b %Y}"


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else many or word + 's'}"


def provision(code: str | None) -> str:
    """ "K" -> "SEN support (K)"; the code stays beside its words, as the MIS screens show it."""
    if not code:
        return "No special educational need (N)"
    return f"{SEN_PROVISION.get(code, 'Unknown code')} ({code})"


def needs(codes: list[str] | None) -> str:
    """["SLCN", "ASD"] -> "Speech, language and communication needs (SLCN), primary; ..."."""
    if not codes:
        return "No needs recorded"
    parts = []
    for rank, code in enumerate(codes, start=1):
        name = NEED_TYPES.get(code, ("Unknown need type", None))[0]
        parts.append(f"{name} ({code})" + (", primary" if rank == 1 else ""))
    return "; ".join(parts)


FIELD_WORDS = {"sen_provision": "SEN status", "needs": "SEN needs"}


def value(field: str, raw) -> str:
    return provision(raw) if field == "sen_provision" else needs(raw)
