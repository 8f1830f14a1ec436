"""Full rebuild: zero a school's projections and recompute them from its head entries.

It reuses the incremental path's contribution code, so the two cannot drift apart; the property
test in tests/test_merge.py checks they agree.
"""

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from server.models import EnrolmentStats, Entry, GroupStats, VoicePoint
from sync.merge.apply import write_deltas
from sync.merge.contributions import Deltas

VOICE_COLUMNS = (
    Entry.entry_id,
    Entry.kind,
    Entry.deleted,
    Entry.group_id,
    Entry.core,
    Entry.answers,
    Entry.date,
    Entry.school_id,
    Entry.template_id,
    Entry.template_version,
)


def rebuild(session: Session, school_id: int) -> dict:
    """Recompute GroupStats, EnrolmentStats and VoicePoints for one school; returns counts."""
    for model in (GroupStats, EnrolmentStats, VoicePoint):
        session.execute(delete(model).where(model.school_id == school_id))
    deltas, entries = Deltas(), 0
    live = (Entry.school_id == school_id, Entry.is_head.is_(True), Entry.deleted.is_(False))
    # Session records need only their core; decoding 30,000 answer blobs too would double
    # the rebuild's cost.
    for row in session.execute(
        select(Entry.group_id, Entry.core, Entry.date).where(*live, Entry.kind == "session_record")
    ):
        deltas.add_session({"group_id": row.group_id, "core": row.core, "date": row.date}, +1)
        entries += 1
    for row in session.execute(select(*VOICE_COLUMNS).where(*live, Entry.kind == "pupil_voice")):
        deltas.add(session, row.entry_id, row._asdict(), +1)
        entries += 1
    # Nothing is stored now, so the "voice ids to clear" list is empty.
    write_deltas(session, school_id, deltas, [])
    return {
        "entries": entries,
        "groups": len(deltas.groups),
        "enrolments": len(deltas.pupils),
        "voice_points": len(deltas.voice),
    }


def projection_snapshot(session: Session, school_id: int) -> dict:
    """Every projection row as plain tuples, for comparing incremental against rebuilt state."""

    def rows(model, order):
        columns = [c for c in model.__table__.columns]
        return [
            tuple(r)
            for r in session.execute(
                select(*columns).where(model.school_id == school_id).order_by(*order)
            )
        ]

    return {
        "groups": rows(GroupStats, [GroupStats.group_id]),
        "pupils": rows(EnrolmentStats, [EnrolmentStats.group_id, EnrolmentStats.pupil_id]),
        "voice": rows(VoicePoint, [VoicePoint.entry_id]),
        "entries": session.scalar(
            select(func.count()).select_from(Entry).where(Entry.school_id == school_id)
        ),
    }
