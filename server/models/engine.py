"""Connection settings the data layer relies on, and how writers take turns."""

import fcntl
import os
import sqlite3
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, connection_record) -> None:
    """WAL lets pulls read while a push writes; the busy timeout makes writers queue instead of
    failing with "database is locked"; SQLite enforces foreign keys only when asked. The default
    synchronous=FULL stays, because a 2xx from push promises the ops are durable."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def begin_write(session: Session) -> None:
    """Start a transaction that will read and then write. On SQLite, end the reads first and
    take the write lock before reading again: reading then writing would fail with
    SQLITE_BUSY_SNAPSHOT whenever another writer commits in between; with the lock taken up
    front it just waits its turn. PostgreSQL needs nothing: the write goes on in the reads'
    transaction, which spares a commit, a fresh connection checkout and its ping."""
    if session.get_bind().dialect.name == "sqlite":
        session.commit()
        session.connection().exec_driver_sql("BEGIN IMMEDIATE")


@contextmanager
def writer_turn(session: Session):
    """On SQLite, wait for a turn to write in the kernel, on a lock file beside the database.

    SQLite's own busy handler polls with sleeps of up to 100 ms, so under load a waiting push
    slept long after the lock was free while others barged in: p95 was 17 times p50. flock
    wakes the next writer as soon as the last one lets go. PostgreSQL queues on row locks."""
    bind = session.get_bind()
    path = bind.url.database if bind.dialect.name == "sqlite" else None
    if not path or path == ":memory:" or path.startswith("file:"):
        yield
        return
    fd = os.open(f"{path}-writers.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
