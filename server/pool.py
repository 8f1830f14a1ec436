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
"""

import os

from sqlalchemy.engine import make_url

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
        f"-c idle_in_transaction_session_timeout={get['DB_IDLE_TX_TIMEOUT_MS']}",
    )
