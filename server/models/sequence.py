"""Stamp every write to a synced row with the next number of its school's change sequence."""

from sqlalchemy import event, text
from sqlalchemy.orm import Session

from server.models.base import Synced

BUMP = text(
    "INSERT INTO sync_counters (school_id, value) VALUES (:school_id, :n) "
    "ON CONFLICT (school_id) DO UPDATE SET value = sync_counters.value + excluded.value "
    "RETURNING value"
)


def next_seqs(session: Session, school_id: int, count: int) -> range:
    """Reserve `count` numbers. The counter row stays locked until commit, so numbers become
    visible in order; pulls read only up to the committed counter and never skip a row."""
    top = session.connection().execute(BUMP, {"school_id": school_id, "n": count}).scalar_one()
    return range(top - count + 1, top + 1)


def committed_high_water(session: Session, school_id: int) -> int:
    value = session.execute(
        text("SELECT value FROM sync_counters WHERE school_id = :s"), {"s": school_id}
    ).scalar()
    return value or 0


def _changed_owners(session: Session) -> list:
    owners, seen = [], set()
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if not hasattr(obj, "sync_owner"):
            continue
        if obj in session.dirty and not session.is_modified(obj):
            continue
        owner = obj.sync_owner()
        if owner is not None and id(owner) not in seen and owner not in session.deleted:
            seen.add(id(owner))
            owners.append(owner)
    return owners


@event.listens_for(Session, "before_flush")
def _stamp_sequence(session: Session, flush_context, instances) -> None:
    by_school: dict[int, list] = {}
    for owner in _changed_owners(session):
        if isinstance(owner, Synced) and owner.school_id is not None:
            by_school.setdefault(owner.school_id, []).append(owner)
    for school_id, owners in sorted(by_school.items()):
        for owner, seq in zip(owners, next_seqs(session, school_id, len(owners))):
            owner.server_seq = seq
