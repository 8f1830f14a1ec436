"""The first half of a push, before the write lock: parse every op, check each new version
against the writer's scope, its group's roll and its template, and sum what the session
records add to the projections. CPU-bound, so other pushes can write meanwhile."""

import hashlib

from schemas import jsonio
from sync.push.batch import PreparedOp, PushInput
from sync.push.entries import check_content
from sync.push.parse import parse_op
from sync.push.rosters import load_runs
from sync.scope import Scope


def body_hash(op) -> str:
    return hashlib.sha256(jsonio.canonical(op)).hexdigest()


def prepare(session, scope: Scope, device_id: str, ops: list) -> PushInput:
    prepared = PushInput(scope, device_id)
    parsed_ops = [(op, *parse_op(op)) for op in ops]
    runs = load_runs(session, _session_groups(parsed_ops, scope))
    for op, parsed, errors in parsed_ops:
        item = PreparedOp(op, body_hash(op), parsed, errors)
        if parsed and parsed["type"] == "entry" and not parsed["entry"]["deleted"]:
            item.version, item.content_errors = check_content(
                session, prepared, parsed["entry"], runs
            )
            if item.version and item.version["kind"] == "session_record":
                prepared.sessions.add_session(item.version, +1)
        prepared.ops.append(item)
    return prepared


def _session_groups(parsed_ops: list, scope: Scope) -> set[int]:
    """The writer's groups that the batch's session records name (others are refused anyway)."""
    groups = set()
    for _, parsed, _ in parsed_ops:
        entry = parsed and parsed.get("entry")
        if entry and entry["kind"] == "session_record" and isinstance(entry["core"], dict):
            group = entry["core"].get("group_id")
            if type(group) is int and group in scope.groups:
                groups.add(group)
    return groups
