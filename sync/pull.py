"""Pull: changes in server order after a cursor, scoped to what the user may see.

Every synced row carries server_seq from its school's counter. A page reads only up to the
counter's committed value, so a transaction still holding lower numbers can never be skipped.
The cursor also carries a fingerprint of the user's scope: when the scope changes (a TA takes on
a new group), the next pull starts again from zero and says reset, so nothing in scope is missed.
"""

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.models.sequence import committed_high_water
from sync import entry_view
from sync.pull_types import SYNCED_TYPES, dump_change
from sync.scope import Scope


class BadCursor(ValueError):
    pass


def fingerprint(scope: Scope) -> str:
    text = f"{scope.staff.role}|{sorted(scope.pupils)}|{sorted(scope.groups)}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def parse_cursor(cursor: str | None, scope: Scope) -> tuple[int, bool]:
    """The seq to start after, and whether the client must replace what it holds."""
    if not cursor:
        return 0, True
    try:
        version, seq, print_ = cursor.split("-")
        seq = int(seq)
    except ValueError:
        raise BadCursor("Not a cursor from this server; pull again without one.") from None
    if version != "v1" or seq < 0:
        raise BadCursor("Not a cursor from this server; pull again without one.")
    if print_ != fingerprint(scope):
        return 0, True
    return seq, False


def pull(session: Session, scope: Scope, cursor: str | None, limit: int) -> dict:
    since, reset = parse_cursor(cursor, scope)
    high = committed_high_water(session, scope.school_id)
    candidates = []
    for kind in SYNCED_TYPES:
        condition = kind.scope_filter(scope)
        if condition is None:
            continue
        query = (
            select(kind.model)
            .where(
                kind.model.school_id == scope.school_id,
                kind.model.server_seq > since,
                kind.model.server_seq <= high,
                condition,
            )
            .order_by(kind.model.server_seq)
            .limit(limit + 1)
        )
        candidates += [(row.server_seq, kind, row) for row in session.scalars(query)]
    candidates.sort(key=lambda item: item[0])
    page, more = candidates[:limit], len(candidates) > limit
    last = page[-1][0] if more else high
    view = entry_view.for_reader(session, scope)
    # An entry the reader may read none of is left out; the cursor still moves past it.
    changes = [c for _, kind, row in page if (c := dump_change(kind, row, view)) is not None]
    return {
        "changes": changes,
        "cursor": f"v1-{last}-{fingerprint(scope)}",
        "more": more,
        "reset": reset,
    }
