"""How each app process talks to PostgreSQL: a small pool per worker, and timeouts so that
neither a slow query nor a lost database holds a worker for good.

Every gunicorn worker (deploy/gunicorn.conf.py) is a process with its own engine and serves one
request at a time, so it needs one connection, and a second for the rare request that opens
another. Size the server so that

    app servers x workers x (DB_POOL_SIZE + DB_MAX_OVERFLOW) + jobs < max_connections

(2 servers x 9 workers x 4 = 72 under PostgreSQL's default 100). A request that waits
DB_POOL_TIMEOUT for a connection, cannot connect within DB_CONNECT_TIMEOUT, or runs a statement
past DB_STATEMENT_TIMEOUT_MS answers 503 and the device retries (server/errors.py). Connections
are checked before use (pre-ping), so after PostgreSQL restarts the next request reconnects
without restarting the app. A transaction left idle is ended after DB_IDLE_TX_TIMEOUT_MS: an
open writing transaction also holds back every school's pulls (server/models/sequence.py).
Long jobs run from the command line (the nightly MIS run) can raise or lift the statement
timeout for their own process with DB_STATEMENT_TIMEOUT_MS=0.

A request that only read ends its transaction with COMMIT, not ROLLBACK (`init_app`). The two
are the same to PostgreSQL, but psycopg forgets every statement it has prepared on a connection
at each rollback. Every pull, passport or map read then made the worker's next push plan all of
its statements afresh, for ten runs each, and on a table without statistics those plans scanned
the whole entries table (bench/sync_push.py: the first second after any read). Just-in-time
compilation is off: it pays only for long analytical queries, and it compiled each of those
scans at length before running it.
"""

import os

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

WROTE = "send.wrote"  # in a connection's info: its open transaction ran more than SELECTs
CONNECTION = "send.connection"  # in a session's info: the connection its transaction is on

DEFAULTS = {
    "DB_POOL_SIZE": 2,
    "DB_MAX_OVERFLOW": 2,
    "DB_POOL_TIMEOUT": 5,
    "DB_POOL_RECYCLE": 1800,
    "DB_CONNECT_TIMEOUT": 5,
    "DB_STATEMENT_TIMEOUT_MS": 30_000,  # below gunicorn's 60 s, so the worker answers first
    "DB_IDLE_TX_TIMEOUT_MS": 60_000,
}


def settings_from_env() -> dict:
    return {name: int(os.environ.get(name, default)) for name, default in DEFAULTS.items()}


def apply(options: dict, config) -> None:
    """Add the pool and timeout settings to one engine's options, for PostgreSQL only: SQLite is
    one file on one machine, whose writers queue in the kernel (server/models/engine.py)."""
    if make_url(options["url"]).get_backend_name() != "postgresql":
        return
    get = {name: config.get(name, default) for name, default in DEFAULTS.items()}
    options.setdefault("pool_size", get["DB_POOL_SIZE"])
    options.setdefault("max_overflow", get["DB_MAX_OVERFLOW"])
    options.setdefault("pool_timeout", get["DB_POOL_TIMEOUT"])
    options.setdefault("pool_recycle", get["DB_POOL_RECYCLE"])
    options.setdefault("pool_pre_ping", True)
    connect_args = options.setdefault("connect_args", {})
    connect_args.setdefault("connect_timeout", get["DB_CONNECT_TIMEOUT"])
    connect_args.setdefault(
        "options",
        f"-c statement_timeout={get['DB_STATEMENT_TIMEOUT_MS']} "
        f"-c idle_in_transaction_session_timeout={get['DB_IDLE_TX_TIMEOUT_MS']} -c jit=off",
    )


def init_app(app, session_factory) -> None:
    """Register after Flask-SQLAlchemy, so this runs before it closes the request's session."""

    @app.teardown_appcontext
    def commit_reads(error) -> None:
        session = session_factory()
        connection = session.info.get(CONNECTION)
        if (
            error is None
            and connection is not None
            and connection.dialect.name == "postgresql"
            and not connection.info.get(WROTE)
            and not (session.new or session.dirty or session.deleted)
        ):
            # Objects stay loaded, as the rollback left them for code after the request.
            expire, session.expire_on_commit = session.expire_on_commit, False
            try:
                session.commit()
            except SQLAlchemyError:  # nothing was written; closing the session cleans up
                app.logger.warning("Could not end a read-only transaction", exc_info=True)
            finally:
                session.expire_on_commit = expire


@event.listens_for(Engine, "before_cursor_execute")
def _note_writes(connection, cursor, statement, parameters, context, executemany) -> None:
    # Anything but a SELECT counts as a write, so a doubtful transaction is rolled back as before.
    if not statement.startswith("SELECT"):
        connection.info[WROTE] = True


@event.listens_for(Engine, "commit")
@event.listens_for(Engine, "rollback")
def _transaction_ended(connection) -> None:
    connection.info.pop(WROTE, None)


@event.listens_for(Session, "after_begin")
def _note_connection(session, transaction, connection) -> None:
    session.info[CONNECTION] = connection


@event.listens_for(Session, "after_transaction_end")
def _forget_connection(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(CONNECTION, None)
