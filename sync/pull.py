"""Pull: changes in server order after a cursor, scoped to what the user may see.

Every synced row carries its place in the school's change order, (server_xid, server_seq), and
a page reads only up to the horizon below which nothing can still commit (models/sequence.py),
so a transaction that commits late is never skipped. The cursor carries the place of the last
row sent, and a fingerprint of the user's scope: when the scope changes (a TA takes on a new
group), the next pull starts again from zero and says reset, so nothing in scope is missed.
The cursor also carries the device's pull window (sync/pull_window.py): the first day of the
entries it holds.
"""

import hashlib
from functools import lru_cache

from sqlalchemy import and_, bindparam, exists, literal, select, tuple_, union_all
from sqlalchemy.orm import Session

from schemas.sen import today_in_london
from server.models.sequence import read_horizon
from sync import entry_view, pull_window
from sync.pull_types import SYNCED_TYPES, dump_change
from sync.scope import Scope

NOT_OURS = "Not a cursor from this server; pull again without one."


class BadCursor(ValueError):
    pass


def fingerprint(scope: Scope) -> str:
    text = f"{scope.staff.role}|{sorted(scope.pupils)}|{sorted(scope.groups)}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


START = object()  # no window chosen yet: the pull starts from nothing


def parse_cursor(cursor: str | None, scope: Scope) -> tuple[tuple[int, int], bool, object]:
    """The place to start after, whether the client must replace what it holds, and the
    device's window (a date, None for every entry, or START to choose one now).
    A v1 cursor (a bare sequence number, from before rows carried a transaction id) is the
    place (0, seq): every row written before then has server_xid 0. v1 and v2 cursors come
    from devices that took every entry, and keep doing so."""
    if not cursor:
        return (0, 0), True, START
    parts = cursor.split("-")
    window = None
    try:
        if parts[0] == "v1" and len(parts) == 3:
            place, print_ = (0, int(parts[1])), parts[2]
        elif parts[0] in ("v2", "v3") and len(parts) == {"v2": 4, "v3": 5}[parts[0]]:
            place, print_ = (int(parts[1]), int(parts[2])), parts[3]
            if parts[0] == "v3":
                window = pull_window.decode(parts[4])
        else:
            raise ValueError
    except ValueError:
        raise BadCursor(NOT_OURS) from None
    if min(place) < 0:
        raise BadCursor(NOT_OURS)
    if print_ != fingerprint(scope):
        return (0, 0), True, START
    return place, False, window


def pull(session: Session, scope: Scope, cursor: str | None, limit: int) -> dict:
    since, reset, window = parse_cursor(cursor, scope)
    if window is START:
        window = pull_window.entries_from(session, scope.school_id, today_in_london())
    kind_of_bound, bound = read_horizon(session, scope.school_id)
    place = {"school_id": scope.school_id, "xid": since[0], "seq": since[1], "bound": bound}
    candidates = []
    for kind in _types_with_changes(session, kind_of_bound, place):
        condition = kind.scope_filter(scope)
        if condition is None:
            continue
        if window is not None and kind.window is not None:
            condition = and_(condition, kind.window(window))
        model = kind.model
        query = (
            select(model)
            .where(_after_cursor(model, kind_of_bound), condition)
            .order_by(model.server_xid, model.server_seq)
            .limit(limit + 1)
        )
        candidates += [
            ((row.server_xid, row.server_seq), kind, row) for row in session.scalars(query, place)
        ]
    candidates.sort(key=lambda item: item[0])
    page, more = candidates[:limit], len(candidates) > limit
    # With the page short of the limit, everything below the horizon has been sent.
    last = page[-1][0] if more else max(since, (bound, 0) if kind_of_bound == "xid" else (0, bound))
    view = entry_view.for_reader(session, scope)
    # An entry the reader may read none of is left out; the cursor still moves past it.
    changes = [c for _, kind, row in page if (c := dump_change(kind, row, view)) is not None]
    return {
        "changes": changes,
        "cursor": f"v3-{last[0]}-{last[1]}-{fingerprint(scope)}-{pull_window.encode(window)}",
        "more": more,
        "reset": reset,
        "entries_from": window,
    }


def _after_cursor(model, kind_of_bound: str):
    """The school's rows of `model` past the cursor and below the horizon, with the place as
    parameters (school_id, xid, seq, bound)."""
    horizon = (
        model.server_xid < bindparam("bound")
        if kind_of_bound == "xid"
        else model.server_seq <= bindparam("bound")
    )
    return and_(
        model.school_id == bindparam("school_id"),
        tuple_(model.server_xid, model.server_seq) > tuple_(bindparam("xid"), bindparam("seq")),
        horizon,
    )


def _types_with_changes(session: Session, kind_of_bound: str, place: dict) -> list:
    """The row types with anything at all past the cursor, whoever may read it, in one query:
    a device pulls every 30 s, and most pulls find new entries and nothing else, so the scoped
    query of each other type is skipped (bench/load.py, pull)."""
    found = set(session.execute(_changes_probe(kind_of_bound), place).scalars())
    return [kind for index, kind in enumerate(SYNCED_TYPES) if index in found]


@lru_cache
def _changes_probe(kind_of_bound: str):
    return union_all(
        *(
            select(literal(index)).where(exists().where(_after_cursor(kind.model, kind_of_bound)))
            for index, kind in enumerate(SYNCED_TYPES)
        )
    )
