"""Stamp every write to a synced row with its place in the school's change order, and say how
far a pull may read without ever skipping a row that commits later.

The place is (server_xid, server_seq), compared as a pair.

PostgreSQL: server_xid is the writing transaction's id (pg_current_xact_id) and server_seq
comes from one global sequence. Neither locks anything, so one school's pushes write side by
side (bench/sync_push.py at 8 and 32 clients). A pull reads only rows whose transaction id is
below the oldest transaction still running (pg_snapshot_xmin): every transaction that can still
commit has an id at or above it, so it lands after any cursor handed out. The price: a long
writing transaction anywhere on the cluster holds pulls back (never skips), which is why the
app's own transactions have timeouts (config.py) and the README asks for a cluster of its own.

SQLite (one writer at a time, sync/push/pipeline.py): server_xid stays 0 and server_seq is the
school's counter, whose row stays locked until commit, so numbers become visible in order.
"""

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import Table, event, func, select, text
from sqlalchemy.orm import Session

from server.models.base import Synced

BUMP = text(
    "INSERT INTO sync_counters (school_id, value) VALUES (:school_id, :n) "
    "ON CONFLICT (school_id) DO UPDATE SET value = sync_counters.value + excluded.value "
    "RETURNING value"
)
# One round trip: the transaction's id (taking one if it has none yet) and n sequence values.
PG_STAMPS = text(
    "SELECT pg_current_xact_id()::text::bigint, nextval('sync_seq') FROM generate_series(1, :n)"
)
PG_HORIZON = text("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")


@dataclass(frozen=True)
class Stamps:
    xid: int
    seqs: list[int]
    ids: list[int] | None = None  # primary keys reserved with them (next_seqs' ids_of)


def next_seqs(session: Session, school_id: int, count: int, ids_of: Table | None = None) -> Stamps:
    """Reserve `count` places in the school's change order for rows this transaction writes;
    with `ids_of`, also `count` primary keys of that table, in the same round trip, so a bulk
    insert names its rows' keys instead of reading them back."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        query = _pg_stamps_with_ids(ids_of.name) if ids_of is not None else PG_STAMPS
        rows = connection.execute(query, {"n": count}).all()
        ids = [row[2] for row in rows] if ids_of is not None else None
        return Stamps(rows[0][0], [row[1] for row in rows], ids)
    top = connection.execute(BUMP, {"school_id": school_id, "n": count}).scalar_one()
    ids = None
    if ids_of is not None:  # SQLite: this transaction holds the only write lock
        highest = connection.execute(select(func.coalesce(func.max(ids_of.c.id), 0))).scalar()
        ids = list(range(highest + 1, highest + count + 1))
    return Stamps(0, list(range(top - count + 1, top + 1)), ids)


@lru_cache
def _pg_stamps_with_ids(table: str):
    return text(
        "SELECT pg_current_xact_id()::text::bigint, nextval('sync_seq'), "
        f"nextval('{table}_id_seq') FROM generate_series(1, :n)"
    )


def read_horizon(session: Session, school_id: int) -> tuple[str, int]:
    """How far a pull may read: ("xid", n) for rows with server_xid < n (PostgreSQL), or
    ("seq", n) for rows with server_seq <= n (SQLite's committed counter)."""
    if session.get_bind().dialect.name == "postgresql":
        return "xid", session.execute(PG_HORIZON).scalar_one()
    value = session.execute(
        text("SELECT value FROM sync_counters WHERE school_id = :s"), {"s": school_id}
    ).scalar()
    return "seq", value or 0


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
        stamps = next_seqs(session, school_id, len(owners))
        for owner, seq in zip(owners, stamps.seqs):
            owner.server_xid, owner.server_seq = stamps.xid, seq
