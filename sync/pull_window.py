"""The pull window (issue 16): a device's first sync carries the entries of the school's last
few terms, not every record ever; older entries are read online (GET /api/v1/entries).

The window's first day is fixed when a device starts from nothing and travels in its cursor
(sync/pull.py), so the pages of one first sync, and every pull after it, agree on what the
device holds: changes to entries dated inside the window reach it, entries older than it never
do. A device whose scope changes starts again from nothing, with the window of that day.
People, groups, enrolments, passports and templates are not windowed: they are what a device
works with, whatever their age.
"""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.models import Term
from server.models.sync_settings import DEFAULT_ENTRY_TERMS, SyncSettings


def entry_terms(session: Session, school_id: int) -> int | None:
    settings = session.get(SyncSettings, school_id)
    return DEFAULT_ENTRY_TERMS if settings is None else settings.entry_terms


def entries_from(session: Session, school_id: int, today: date) -> date | None:
    """The first day of the window: the start of the Nth term back, counting the term under
    way (or the last one begun, in a holiday) as the first. None, every entry, when the school
    chose that or has not recorded enough terms to say where the window starts."""
    terms = entry_terms(session, school_id)
    if terms is None:
        return None
    starts = session.scalars(
        select(Term.starts_on)
        .where(Term.school_id == school_id, Term.starts_on <= today)
        .order_by(Term.starts_on.desc())
        .limit(terms)
    ).all()
    return starts[-1] if len(starts) == terms else None


def encode(window: date | None) -> str:
    return window.strftime("%Y%m%d") if window else "all"


def decode(text: str) -> date | None:
    """The cursor's window part; ValueError when it is not one of ours."""
    if text == "all":
        return None
    if len(text) != 8 or not text.isdigit():
        raise ValueError(text)
    return date(int(text[:4]), int(text[4:6]), int(text[6:]))
