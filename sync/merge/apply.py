"""Incremental merge: fold one push batch into the projections with a few bulk statements.

Per batch: one upsert per projection table (added sessions widen first/last session dates in
it), and only when a batch corrects or deletes sessions: one DELETE of rows it emptied (a
rebuild would not have them) and one correlated MIN/MAX UPDATE of those groups' dates, which
cannot be "subtracted". Touched voice points are deleted and re-inserted.
"""

from functools import lru_cache
from operator import itemgetter

from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.orm import Session

from server.models import EnrolmentStats, Entry, GroupStats, VoicePoint
from server.models.bulk import execute_many
from sync.merge.contributions import GROUP_COLUMNS, PUPIL_COLUMNS, Deltas

DATE_COLUMNS = ("first_session", "last_session")
VOICE_INSERT = VoicePoint.__table__.insert()


def apply_batch(
    session: Session, school_id: int, replaced: dict, heads: dict, deltas: Deltas
) -> None:
    """`replaced`: entry_id -> head row before the batch; `heads`: entry_id -> head after it,
    for the entries this batch wrote; `deltas`: what the new session-record heads add, summed
    before the write lock. Adds the rest, then writes. Run after the new heads are stored."""
    for entry_id, head in heads.items():
        old = replaced.get(entry_id)
        if old is not None:
            deltas.add(session, entry_id, old, -1)
        if head["kind"] != "session_record":
            deltas.add(session, entry_id, head, +1)
    voice_ids = [eid for eid, head in heads.items() if head["kind"] == "pupil_voice"]
    write_deltas(session, school_id, deltas, voice_ids)


def write_deltas(session: Session, school_id: int, deltas: Deltas, voice_ids: list) -> None:
    groups = {k: v for k, v in deltas.groups.items() if any(v)}
    pupils = {k: v for k, v in deltas.pupils.items() if any(v)}
    if groups:
        _upsert(
            session,
            GroupStats,
            ("group_id",),
            GROUP_COLUMNS,
            [
                {
                    "group_id": g,
                    "school_id": school_id,
                    **dict(zip(GROUP_COLUMNS, v)),
                    **dict(zip(DATE_COLUMNS, deltas.dates.get(g, (None, None)))),
                }
                for g, v in groups.items()
            ],
            dated=True,
        )
    if pupils:
        _upsert(
            session,
            EnrolmentStats,
            ("group_id", "pupil_id"),
            PUPIL_COLUMNS,
            [
                {
                    "group_id": g,
                    "pupil_id": p,
                    "school_id": school_id,
                    **dict(zip(PUPIL_COLUMNS, v)),
                }
                for (g, p), v in pupils.items()
            ],
        )
    shrunk = sorted(deltas.shrunk)
    if shrunk:
        _drop_emptied(session, shrunk)
        _refresh_dates(session, shrunk)
    if voice_ids:
        session.execute(delete(VoicePoint).where(VoicePoint.entry_id.in_(voice_ids)))
    if deltas.voice:
        execute_many(session, VOICE_INSERT, list(deltas.voice.values()))


def _upsert(
    session: Session, model, keys: tuple, columns: tuple, rows: list, dated: bool = False
) -> None:
    """Add each row's amounts to the stored row, creating it at zero first if need be.

    Rows go in key order so that concurrent pushes lock shared rows in the same order:
    otherwise two batches touching the same groups deadlock on PostgreSQL."""
    rows = sorted(rows, key=itemgetter(*keys))
    dialect = session.get_bind().dialect.name
    execute_many(session, _upsert_statement(model, keys, columns, dated, dialect), rows)


@lru_cache
def _upsert_statement(model, keys: tuple, columns: tuple, dated: bool, dialect: str):
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(model.__table__)
    table = model.__table__
    set_ = {c: table.c[c] + stmt.excluded[c] for c in columns}
    if dated:
        # Two-argument MIN/MAX are scalar in SQLite; PostgreSQL spells them LEAST/GREATEST.
        pg = dialect == "postgresql"
        for column, pick in zip(
            DATE_COLUMNS, (func.least, func.greatest) if pg else (func.min, func.max)
        ):
            old, new = table.c[column], stmt.excluded[column]
            set_[column] = pick(func.coalesce(old, new), func.coalesce(new, old))
    return stmt.on_conflict_do_update(index_elements=list(keys), set_=set_)


def _drop_emptied(session: Session, groups: list) -> None:
    """A group or pupil whose every session was corrected away holds zeros; a rebuild has no row."""
    session.execute(
        delete(GroupStats).where(
            GroupStats.group_id.in_(groups), GroupStats.sessions_delivered == 0
        )
    )
    marks = (
        EnrolmentStats.sessions_present
        + EnrolmentStats.sessions_late
        + EnrolmentStats.sessions_absent
    )
    session.execute(delete(EnrolmentStats).where(EnrolmentStats.group_id.in_(groups), marks == 0))


def session_dates(column):
    """MIN/MAX of a group's head, live session records, correlated to GroupStats.group_id."""
    return (
        select(column)
        .where(
            and_(
                Entry.group_id == GroupStats.group_id,
                Entry.kind == "session_record",
                Entry.is_head.is_(True),
                Entry.deleted.is_(False),
            )
        )
        .scalar_subquery()
    )


def _refresh_dates(session: Session, groups: list) -> None:
    session.execute(
        update(GroupStats)
        .where(GroupStats.group_id.in_(groups))
        .values(
            first_session=session_dates(func.min(Entry.date)),
            last_session=session_dates(func.max(Entry.date)),
        )
        .execution_options(synchronize_session=False)
    )
