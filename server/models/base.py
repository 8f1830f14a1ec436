"""Declarative base shared by every model, with stable constraint names for migrations."""

from datetime import UTC, datetime, time

from sqlalchemy import (
    BigInteger,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    Table,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, registry

from schemas.sen import LONDON

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# Tables whose rows get no audit event of their own, and why: the log itself; login
# bookkeeping (logins are audited explicitly); and rows derived from an audited write in the
# same transaction (an entry's pupil index, its op record, the counters, the projections);
# and the MIS run lock, a row that lives only while a run holds its school.
# Every other table is audited on every write: ORM flushes by the hook in models/audit.py,
# bulk inserts because models/bulk.py refuses them without their events.
UNAUDITED_TABLES = frozenset(
    {
        "audit_events",
        "login_sessions",
        "login_attempts",
        "entry_pupils",
        "sync_ops",
        "sync_counters",
        "group_stats",
        "enrolment_stats",
        "voice_points",
        "mis_locks",
    }
)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A moment stored as UTC and always read back aware, in UTC, on every database.

    SQLite keeps no zone: its DATETIME text is the wall-clock time of whatever zone the value
    had, and it reads back naive. PostgreSQL's timestamptz reads back in the session's zone.
    So every value is moved to UTC on the way in (a naive one is taken to be UTC already, as
    every stored value is) and labelled UTC on the way out: the API then says "+00:00" for
    every time, whichever database is behind it. The DDL is still timestamptz on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if not isinstance(value, datetime):  # a day compared with a moment: its London midnight
            value = datetime.combine(value, time(), tzinfo=LONDON)
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        # SQLite's DATETIME text would drop the zone anyway; dropping it here says so.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


def refers_to(target: str) -> dict:
    """Column info for a reference the database does not check: "entries.id" names the row.

    For a push's highest-volume rows, written in the same transaction as the rows they point
    at, from ids the push has just checked: on PostgreSQL each foreign key check is a trigger
    per row, and entry_pupils' two checks were a quarter of the database's work on a push
    (bench/push_cost.py --database-url). What deletes rows follows these as it follows the
    foreign keys (links_to)."""
    return {"refers_to": target}


def links_to(table: Table):
    """Each (table, column, ondelete) pointing at table.id: its foreign keys, and the
    references declared with refers_to, which are deleted with what they point at."""
    for other in Base.metadata.sorted_tables:
        if other is table:
            continue
        for fk in other.foreign_keys:
            if fk.column.table is table and fk.column.name == "id":
                yield other, fk.parent, fk.ondelete
        for column in other.columns:
            if column.info.get("refers_to") == f"{table.name}.id":
                yield other, column, "CASCADE"


class SchoolScoped:
    """Every tenant row names its school; queries filter on it before anything else."""

    # A table whose queries never lead with school_id alone sets this False: every index costs
    # a B-tree insert per row, and a push writes about nine hundred rows.
    school_id_index = True
    # A push's high-volume rows whose school is already pinned by another foreign key (their
    # entry, their staff member) set this False. On PostgreSQL each foreign key check is a
    # trigger that locks the school's row FOR KEY SHARE, some eight hundred times a push.
    school_id_foreign_key = True

    @declared_attr
    def school_id(cls) -> Mapped[int]:
        school = [ForeignKey("schools.id")] if cls.school_id_foreign_key else []
        return mapped_column(*school, index=cls.school_id_index)


# 64-bit on PostgreSQL (one sequence for every school); SQLite's INTEGER is 64-bit already.
_BIG = BigInteger().with_variant(Integer(), "sqlite")


class Synced:
    """Rows devices pull: each write stamps (server_xid, server_seq), the row's place in its
    school's change order (models/sequence.py)."""

    server_seq: Mapped[int] = mapped_column(_BIG, default=0)
    server_xid: Mapped[int] = mapped_column(_BIG, default=0, server_default="0")

    def sync_owner(self):
        """The row whose seq a change to this one bumps; children of a pupil bump the pupil."""
        return self
