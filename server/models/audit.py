"""The append-only audit log: every write, every export and every sensitive read.

One writer, `write`, takes every event: those the flush hook below collects from ORM writes,
those of bulk inserts (`insert_audited`, the only way models/bulk.py lets a bulk insert into
an audited table through) and reads and exports (`record`). tests/test_audit.py fails if a
write path adds rows to an audited table without their events."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, event, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column

from server.models.base import UNAUDITED_TABLES, Base, utcnow
from server.models.bulk import execute_many


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    # No foreign key: a log is written with every push (a hundred rows a batch) and must
    # never lock, or be blocked by, the school's row; the actor's key already names a school.
    school_id: Mapped[int | None] = mapped_column(index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    device_id: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(20))
    resource: Mapped[str] = mapped_column(String(40))
    resource_id: Mapped[str | None] = mapped_column(String(64))
    # Field names only, never values: the log must not become a second copy of pupil data.
    detail: Mapped[dict | None] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class AuditLogIsAppendOnly(Exception):
    pass


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _refuse_change(mapper, connection, target):
    raise AuditLogIsAppendOnly("audit events cannot be changed or deleted")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_change(orm_execute_state) -> None:
    """update(AuditEvent) and delete(AuditEvent) skip the mapper events above; refuse them too."""
    if not (orm_execute_state.is_update or orm_execute_state.is_delete):
        return
    table = getattr(orm_execute_state.statement, "table", None)
    if getattr(table, "name", None) == AuditEvent.__tablename__:
        raise AuditLogIsAppendOnly("audit events cannot be changed or deleted")


def _school_of(obj) -> int | None:
    return getattr(obj, "school_id", None) or (obj.id if obj.__tablename__ == "schools" else None)


_STAMPS = ("server_seq", "server_xid")  # where the row sits in the change order, not content


def _changed_fields(obj) -> list[str]:
    state = inspect(obj)
    return sorted(a.key for a in state.attrs if a.history.has_changes() and a.key not in _STAMPS)


def _event_rows(session: Session) -> list[dict]:
    actor = session.info.get("actor") or {}
    rows = []
    for action, objects in (
        ("create", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    ):
        for obj in objects:
            if getattr(obj, "__tablename__", None) in UNAUDITED_TABLES:
                continue
            detail = {"fields": _changed_fields(obj)} if action == "update" else None
            if action == "update" and not detail["fields"]:
                continue
            rows.append(
                {
                    "school_id": _school_of(obj),
                    "actor_id": actor.get("actor_id"),
                    "device_id": actor.get("device_id"),
                    "action": action,
                    "resource": obj.__tablename__,
                    "resource_id": None,
                    "detail": detail,
                    "at": utcnow(),
                    "_obj": obj,
                }
            )
    return rows


def _primary_key(obj) -> str | None:
    # Not inspect(obj).identity: new rows only get their identity after after_flush has run.
    values = inspect(obj).mapper.primary_key_from_instance(obj)
    return None if None in values else ",".join(str(v) for v in values)


@event.listens_for(Session, "before_flush")
def _collect_writes(session: Session, flush_context, instances) -> None:
    # Replace, never extend: rows left by a flush that failed describe writes that never happened.
    session.info["pending_audit"] = _event_rows(session)


@event.listens_for(Session, "after_soft_rollback")
def _forget_pending(session: Session, previous_transaction) -> None:
    session.info.pop("pending_audit", None)


@event.listens_for(Session, "after_flush")
def _write_audit(session: Session, flush_context) -> None:
    """Write the audit rows in the same transaction as the change, so neither exists alone."""
    rows = session.info.pop("pending_audit", [])
    for row in rows:
        obj = row.pop("_obj")
        row["resource_id"] = _primary_key(obj)
        row["school_id"] = row["school_id"] or _school_of(obj)
    write(session, rows)


AUDIT_INSERT = AuditEvent.__table__.insert()
EVENT_KEYS = (
    "school_id",
    "actor_id",
    "device_id",
    "action",
    "resource",
    "resource_id",
    "detail",
    "at",
)


def write(session: Session, events: list[dict]) -> None:
    """The one writer of the log, in the caller's transaction: each event gives every key of
    EVENT_KEYS (the bulk path applies no column defaults)."""
    execute_many(session, AUDIT_INSERT, events)


def insert_audited(session: Session, stmt, rows: list[dict], events: list[dict]) -> None:
    """A bulk insert into an audited table, with its events, in one transaction."""
    execute_many(session, stmt, rows, audited=True)
    write(session, events)


def record(
    session: Session,
    action: str,
    resource: str,
    resource_id=None,
    school_id: int | None = None,
    detail: dict | None = None,
) -> None:
    """Log an export, a login or a sensitive read, which no flush would show."""
    actor = session.info.get("actor") or {}
    write(
        session,
        [
            {
                "school_id": school_id,
                "actor_id": actor.get("actor_id"),
                "device_id": actor.get("device_id"),
                "action": action,
                "resource": resource,
                "resource_id": None if resource_id is None else str(resource_id),
                "detail": detail,
                "at": utcnow(),
            }
        ],
    )
