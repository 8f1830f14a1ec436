"""One nightly run per school at a time, however many app servers share the schedule (DESIGN §8).

On PostgreSQL a session-level advisory lock, held on a connection of its own for the whole
run: the server drops it the moment that connection ends, so a killed run never leaves the
school locked. On SQLite (one machine) a row in mis_locks naming the holder, host:pid: a
holder whose process has gone is taken over at once, and any holder after LOCK_TTL.
A lock that is taken is refused at once (Busy), never waited for: the other run is doing the
same work.
"""

import os
import socket
import uuid
from datetime import timedelta

from sqlalchemy import delete, insert, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from server.models import MisLock
from server.models.base import utcnow

ADVISORY_CLASS = 0x4D4953  # "MIS": the first key of the two-key advisory lock
LOCK_TTL = timedelta(hours=6)


class Busy(Exception):
    """Another run holds this school."""


def holder_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _gone(holder: str, acquired_at) -> bool:
    host, pid, _ = (holder.split(":") + ["", "", ""])[:3]
    if acquired_at.tzinfo is None:  # SQLite gives stored moments back without their zone
        acquired_at = acquired_at.replace(tzinfo=utcnow().tzinfo)
    if utcnow() - acquired_at > LOCK_TTL:
        return True
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


class SchoolLock:
    def __init__(self, engine: Engine, school_id: int, holder: str | None = None):
        self.engine, self.school_id = engine, school_id
        self.holder = holder or holder_name()
        self._connection = None

    def acquire(self) -> "SchoolLock":
        if self.engine.dialect.name == "postgresql":
            self._advisory()
        else:
            self._row()
        return self

    def _advisory(self) -> None:
        connection = self.engine.connect()
        taken = connection.execute(
            text("SELECT pg_try_advisory_lock(:a, :b)"), {"a": ADVISORY_CLASS, "b": self.school_id}
        ).scalar()
        connection.commit()  # the lock outlives the transaction; idle in one, it would not
        if not taken:
            connection.close()
            raise Busy("Another run for this school is going on another server or process.")
        self._connection = connection

    def _row(self) -> None:
        table = MisLock.__table__
        for _ in range(2):
            try:
                with self.engine.begin() as connection:
                    connection.execute(
                        insert(table).values(
                            school_id=self.school_id, holder=self.holder, acquired_at=utcnow()
                        )
                    )
                return
            except IntegrityError:
                found = self._holder()
                if found is None:
                    continue
                if not _gone(*found):
                    raise Busy(f"Another run for this school is going ({found[0]}).") from None
                with self.engine.begin() as connection:
                    connection.execute(
                        delete(table).where(
                            table.c.school_id == self.school_id, table.c.holder == found[0]
                        )
                    )
        raise Busy("Another run for this school started at the same moment.")

    def _holder(self):
        table = MisLock.__table__
        with self.engine.connect() as connection:
            return connection.execute(
                select(table.c.holder, table.c.acquired_at).where(
                    table.c.school_id == self.school_id
                )
            ).first()

    def release(self) -> None:
        if self._connection is not None:
            try:
                self._connection.execute(
                    text("SELECT pg_advisory_unlock(:a, :b)"),
                    {"a": ADVISORY_CLASS, "b": self.school_id},
                )
                self._connection.commit()
            finally:
                self._connection.close()
                self._connection = None
            return
        table = MisLock.__table__
        with self.engine.begin() as connection:
            connection.execute(
                delete(table).where(
                    table.c.school_id == self.school_id, table.c.holder == self.holder
                )
            )
