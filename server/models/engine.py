"""Connection settings the data layer relies on, applied to every new database connection."""
import sqlite3

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
    """Start a transaction that will read and then write. On SQLite, take the write lock first:
    reading then writing would fail with SQLITE_BUSY_SNAPSHOT whenever another writer commits
    in between; with the lock taken up front it just waits its turn. PostgreSQL needs nothing."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
