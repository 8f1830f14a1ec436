"""One stored entry version, as a push would store it: its core loaded and dumped by its kind's
schema (so the demo's evidence is checked as a tablet's is), with the pupils it names."""

import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from schemas.entries import CORE_SCHEMAS, SUBJECT_KINDS, pupils_of
from server.extensions import db
from server.models import Entry, EntryPupil

LONDON = ZoneInfo("Europe/London")


def saved_at(day: date, at: time, minutes: int) -> datetime:
    """Saved on the tablet just after the activity, in the school's zone."""
    start = datetime.combine(day, at, tzinfo=LONDON)
    return (start + timedelta(minutes=minutes + 3)).astimezone(UTC)


def entry(school_id, author_id, kind, template_id, core, answers, at, group_id=None) -> Entry:
    stored = CORE_SCHEMAS[kind].dump(CORE_SCHEMAS[kind].load(core))
    return Entry(
        school_id=school_id,
        entry_id=str(uuid.uuid4()),
        rev=1,
        kind=kind,
        template_id=template_id,
        template_version=1,
        group_id=group_id,
        pupil_ids=pupils_of(kind, stored),
        date=date.fromisoformat(stored["date"]),
        recorded_at=at,
        received_at=at + timedelta(minutes=2),
        author_id=author_id,
        device_id=f"demo-tablet-{author_id}",
        core=stored,
        answers=answers,
    )


def store(school_id: int, entries: list[Entry]) -> None:
    """The versions and the pupil index the scoping reads."""
    db.session.add_all(entries)
    db.session.flush()
    db.session.add_all(
        EntryPupil(
            school_id=school_id,
            entry_pk=e.id,
            pupil_id=pupil_id,
            is_subject=e.kind in SUBJECT_KINDS and pupil_id == e.core["pupil_id"],
        )
        for e in entries
        for pupil_id in set(e.pupil_ids)
    )
    db.session.flush()
