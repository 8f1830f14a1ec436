"""A push from start to finish, in the caller's session: the transaction is ours.

Two halves around the write. `prepare` does everything that needs no lock; `apply` checks
each op against stored history and writes. On SQLite one push writes at a time, so the less it
does there, the more pushes a server takes; on PostgreSQL one school's pushes write side by side
(server/models/sequence.py) and queue only on the projection rows they share. A 2xx must
mean every accepted op is committed, so nothing is answered before commit.
"""

import time

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from server.models.engine import begin_write, writer_turn
from sync.push.apply import apply
from sync.push.prepare import prepare
from sync.scope import Scope

ATTEMPTS = 5


class Busy(Exception):
    """Every attempt lost a race or timed out on the lock: the device keeps its ops and retries."""


def push(session: Session, scope: Scope, device_id: str, ops: list) -> list[dict]:
    """Each op's result, in order, once every accepted op is committed."""
    prepared = prepare(session, scope, device_id, ops)
    for attempt in range(ATTEMPTS):
        with writer_turn(session):
            try:
                begin_write(session)
                results = apply(session, prepared)
                session.commit()
                return results
            except (IntegrityError, OperationalError):
                # Another device pushed the same op at the same moment (the replay then sees
                # it stored and answers duplicate), or SQLite's lock timed out.
                session.rollback()
        time.sleep(0.05 * (attempt + 1))
    raise Busy
