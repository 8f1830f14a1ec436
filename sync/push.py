"""Apply a batch of device ops: idempotent per op, and one bad op never fails its neighbours.

Two halves. `prepare` does everything that needs no lock (parsing, hashing, checking each new
version against the user's scope and its template, summing what it adds to the projections);
`apply`, run holding the write lock, checks each op against stored history, then writes with a
handful of bulk statements. Only one push writes at a time, so the less it does under the lock,
the more pushes a server takes: a per-row ORM round trip would cap it far below what tablets send.
"""
import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from schemas import jsonio
from server.models import SyncOp
from server.models.bulk import among, execute_many, lookup
from sync import entry_ops, passport
from sync.merge.contributions import Deltas
from sync.results import rejected
from sync.scope import Scope


def body_hash(op) -> str:
    return hashlib.sha256(jsonio.canonical(op)).hexdigest()


@dataclass
class Batch:
    """What the batch will write, planned before anything touches the database."""

    session: Session
    scope: Scope
    device_id: str
    prepared: "Prepared"
    heads: dict = field(default_factory=dict)
    replaced: dict = field(default_factory=dict)
    entries: list = field(default_factory=list)
    passport_edits: list = field(default_factory=list)
    ops: list = field(default_factory=list)
    used_seqs: set = field(default_factory=set)
    passport_fields: dict = field(default_factory=dict)


SYNC_OP_INSERT = SyncOp.__table__.insert()


@dataclass
class PreparedOp:
    """One op after every check that needs no lock: envelope, payload, core fields, answers."""

    op: object
    digest: str
    parsed: dict | None
    errors: dict
    version: dict | None = None  # a new entry version that passed its checks; rev set later
    content_errors: dict = field(default_factory=dict)


@dataclass
class Prepared:
    ops: list[PreparedOp]
    # What every checked new session version adds to the projections, summed here so the
    # write lock only takes away the few that end up refused or replaced within the batch.
    sessions: Deltas = field(default_factory=Deltas)


def prepare(session: Session, scope: Scope, device_id: str, ops: list) -> Prepared:
    """The CPU-bound half of a push, run before the write lock so other pushes can write."""
    prepared = Prepared([])
    for op in ops:
        parsed, errors = entry_ops.parse_op(op)
        item = PreparedOp(op, body_hash(op), parsed, errors)
        if parsed and parsed["type"] == "entry" and not parsed["entry"]["deleted"]:
            item.version, item.content_errors = entry_ops.check_content(
                session, scope, device_id, parsed["entry"])
            if item.version and item.version["kind"] == "session_record":
                prepared.sessions.add_session(item.version, +1)
        prepared.ops.append(item)
    return prepared


def push(session: Session, scope: Scope, device_id: str, ops: list) -> list[dict]:
    """Prepare and apply a batch in the caller's transaction (the API prepares before it
    takes the write lock, then applies)."""
    return apply(session, scope, device_id, prepare(session, scope, device_id, ops))


def apply(session: Session, scope: Scope, device_id: str, prepared: Prepared) -> list[dict]:
    """Plan each op against stored history, write all accepted ones, and return a result per
    op. Run it holding the write lock: what it reads must not change before it writes."""
    batch = Batch(session, scope, device_id, prepared)
    valid = [item.parsed for item in prepared.ops if item.parsed]  # only checked values reach SQL
    known = _known_ops(session, valid)
    batch.used_seqs = _used_seqs(session, device_id, valid)
    batch.heads = entry_ops.load_heads(session, scope.school_id, valid)
    batch.replaced = dict(batch.heads)  # the heads as stored, before this batch changes them
    results = [_plan(batch, item, known) for item in prepared.ops]
    entry_ops.write(batch)
    passport.write_edits(batch)
    _write_ops(batch)
    return results


# Built once per dialect: Core execution of ready statements, under the write lock.
@lru_cache
def _known_ops_query(dialect: str):
    return select(SyncOp.op_id, SyncOp.body_hash, SyncOp.result, SyncOp.school_id).where(
        among(SyncOp.op_id, "ids", dialect))


@lru_cache
def _used_seqs_query(dialect: str):
    # The range keeps the index scan to the batch's own span of this device's history, which
    # grows by every op the device ever sent; the list alone PostgreSQL applies as a filter.
    return select(SyncOp.device_seq).where(
        SyncOp.device_id == bindparam("device_id"),
        SyncOp.device_seq.between(bindparam("lowest"), bindparam("highest")),
        among(SyncOp.device_seq, "seqs", dialect))


def _known_ops(session: Session, ops: list[dict]) -> dict:
    ids = [op["op_id"] for op in ops]
    if not ids:
        return {}
    return {row.op_id: row for row in lookup(session, _known_ops_query, {"ids": ids})}


def _used_seqs(session: Session, device_id: str, ops: list[dict]) -> set[int]:
    seqs = [op["device_seq"] for op in ops]
    if not seqs:
        return set()
    return set(lookup(session, _used_seqs_query, {
        "device_id": device_id, "seqs": seqs, "lowest": min(seqs), "highest": max(seqs)}).scalars())


def _plan(batch: Batch, item: PreparedOp, known: dict) -> dict:
    op, parsed, digest = item.op, item.parsed, item.digest
    op_id = op.get("op_id") if isinstance(op, dict) else None
    if item.errors:
        return rejected(op_id, item.errors)
    op_id = parsed["op_id"]
    if op_id in known:
        return _replay(known[op_id], op_id, digest, batch.scope)
    if parsed["device_seq"] in batch.used_seqs:
        return rejected(op_id, {"device_seq": ["Another op from this device already used this "
                                               "sequence number."]})
    known[op_id] = _Pending(op_id, digest)
    if parsed["type"] == "entry":
        result = entry_ops.plan_entry(batch, parsed, item)
    else:
        result = passport.plan_edit(batch, parsed)
    if result["status"] == "accepted":
        batch.ops.append({"op_id": op_id, "device_id": batch.device_id,
                          "device_seq": parsed["device_seq"], "staff_id": batch.scope.staff_id,
                          "school_id": batch.scope.school_id, "body_hash": digest,
                          "op_type": parsed["type"], "result": result})
        known[op_id].result = result
        batch.used_seqs.add(parsed["device_seq"])
    else:
        del known[op_id]
    return result


class _Pending:
    """An op accepted earlier in this same batch, so a repeat within the batch is a duplicate."""

    def __init__(self, op_id: str, digest: str):
        self.op_id, self.body_hash, self.result, self.school_id = op_id, digest, {}, None


def _replay(stored, op_id: str, digest: str, scope: Scope) -> dict:
    if stored.school_id not in (None, scope.school_id):
        return rejected(op_id, {"op_id": ["This op id is already used."]})
    if stored.body_hash != digest:
        return {"op_id": op_id, "status": "conflict",
                "message": "An op with this id was already stored with a different body. "
                           "The stored version is unchanged."}
    return {**_stored(stored.result), "op_id": op_id, "status": "duplicate"}


def _stored(result: dict) -> dict:
    return {k: v for k, v in result.items() if k not in ("op_id", "status")}


def _write_ops(batch: Batch) -> None:
    """Store each accepted op with its final result (conflict ids exist only after the flush)."""
    received_at = datetime.now(timezone.utc)
    execute_many(batch.session, SYNC_OP_INSERT,
                 [{**op, "result": _stored(op["result"]), "received_at": received_at}
                  for op in batch.ops])

