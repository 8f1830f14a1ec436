"""The second half of a push, run holding the write lock: what it reads must not change before
it writes. Read top-down: plan each op against stored history (authority is part of that
plan), then write entries, raise concerns, write the passport edits, record the ops, and merge
the entries into the projections. The audit events go in with the writes that need them."""

from functools import lru_cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from server.models import SyncOp
from server.models.bulk import among, execute_many, lookup
from sync import concerns, merge, passport
from sync.push import entries, versions
from sync.push.batch import Batch, PreparedOp, PushInput
from sync.results import rejected


def apply(session: Session, push_input: PushInput) -> list[dict]:
    batch = Batch(session, push_input)
    _load_history(batch)
    batch.results = [_plan_op(batch, item) for item in push_input.ops]
    written = versions.write(batch)
    concerns.raise_for(batch, written)
    passport.write_edits(batch)
    _write_ops(batch)
    # Last, because the projection rows are what one school's pushes share: their row locks
    # are then held only from here to the commit (bench/sync_push.py, 8 and 32 clients).
    merge.apply_batch(
        session,
        batch.scope.school_id,
        batch.plan.replaced,
        {row["entry_id"]: row for _, row in written if row["is_head"]},
        versions.session_deltas(batch),
    )
    return batch.results


def _load_history(batch: Batch) -> None:
    """What is stored of the ops and entries this batch names, in three queries."""
    valid = [item.parsed for item in batch.input.ops if item.parsed]  # only checked values
    plan, scope = batch.plan, batch.scope
    plan.known_ops = _known_ops(batch.session, valid)
    plan.used_seqs = _used_seqs(batch.session, scope, batch.input.device_id, valid)
    plan.heads = entries.load_heads(batch.session, valid)
    plan.replaced = dict(plan.heads)  # the heads as stored, before this batch changes them
    plan.authors = {entry_id: head["created_by"] for entry_id, head in plan.heads.items()}


def _plan_op(batch: Batch, item: PreparedOp) -> dict:
    """One op's result: refused, a replay of what is stored, or planned for the write."""
    op, parsed, plan = item.op, item.parsed, batch.plan
    if item.errors:
        return rejected(op.get("op_id") if isinstance(op, dict) else None, item.errors)
    op_id = parsed["op_id"]
    if op_id in plan.known_ops:
        return _replay(plan.known_ops[op_id], op_id, item.digest, batch.scope.school_id)
    if parsed["device_seq"] in plan.used_seqs:
        return rejected(
            op_id,
            {
                "device_seq": [
                    "This device already sent another record under the same number. Try again."
                ]
            },
        )
    if parsed["type"] == "entry":
        result = entries.plan_entry(batch, parsed, item)
    else:
        result = passport.plan_edit(batch, parsed)
    if result["status"] == "accepted":
        _plan_op_record(batch, parsed, item.digest, result)
    return result


def _plan_op_record(batch: Batch, parsed: dict, digest: str, result: dict) -> None:
    scope, plan = batch.scope, batch.plan
    plan.ops.append(
        {
            "op_id": parsed["op_id"],
            "device_id": batch.input.device_id,
            "device_seq": parsed["device_seq"],
            "staff_id": scope.staff_id,
            "school_id": scope.school_id,
            "body_hash": digest,
            "op_type": parsed["type"],
            "result": result,
        }
    )
    plan.known_ops[parsed["op_id"]] = _Pending(parsed["op_id"], digest, result)
    plan.used_seqs.add(parsed["device_seq"])


class _Pending:
    """An op accepted earlier in this same batch, so a repeat within the batch is a duplicate."""

    def __init__(self, op_id: str, digest: str, result: dict):
        self.op_id, self.body_hash, self.result, self.school_id = op_id, digest, result, None


def _replay(stored, op_id: str, digest: str, school_id: int) -> dict:
    if stored.school_id not in (None, school_id):
        return rejected(op_id, {"op_id": ["This record's id is already used."]})
    if stored.body_hash != digest:
        return {
            "op_id": op_id,
            "status": "conflict",
            "message": "A different record was already saved under this id. "
            "The saved one is unchanged.",
        }
    return {**_stored(stored.result), "op_id": op_id, "status": "duplicate"}


def _stored(result: dict) -> dict:
    return {k: v for k, v in result.items() if k not in ("op_id", "status")}


# Built once per dialect: Core execution of ready statements, under the write lock.
@lru_cache
def _known_ops_query(dialect: str):
    return select(SyncOp.op_id, SyncOp.body_hash, SyncOp.result, SyncOp.school_id).where(
        among(SyncOp.op_id, "ids", dialect)
    )


@lru_cache
def _used_seqs_query(dialect: str):
    # The range keeps the index scan to the batch's own span of this device's history, which
    # grows by every op the device ever sent; the list alone PostgreSQL applies as a filter.
    return select(SyncOp.device_seq).where(
        SyncOp.device_id == bindparam("device_id"),
        SyncOp.school_id == bindparam("school_id"),
        SyncOp.staff_id == bindparam("staff_id"),
        SyncOp.device_seq.between(bindparam("lowest"), bindparam("highest")),
        among(SyncOp.device_seq, "seqs", dialect),
    )


def _known_ops(session: Session, ops: list[dict]) -> dict:
    ids = [op["op_id"] for op in ops]
    if not ids:
        return {}
    return {row.op_id: row for row in lookup(session, _known_ops_query, {"ids": ids})}


def _used_seqs(session: Session, scope, device_id: str, ops: list[dict]) -> set[int]:
    """Sequence numbers are per (school, member of staff, device): a tablet shared across two
    schools, or handed from one TA to another, never collides with itself."""
    seqs = [op["device_seq"] for op in ops]
    if not seqs:
        return set()
    return set(
        lookup(
            session,
            _used_seqs_query,
            {
                "device_id": device_id,
                "school_id": scope.school_id,
                "staff_id": scope.staff_id,
                "seqs": seqs,
                "lowest": min(seqs),
                "highest": max(seqs),
            },
        ).scalars()
    )


SYNC_OP_INSERT = SyncOp.__table__.insert()


def _write_ops(batch: Batch) -> None:
    """Store each accepted op with its final result (conflict ids exist only after the flush)."""
    received_at = batch.input.received_at
    execute_many(
        batch.session,
        SYNC_OP_INSERT,
        [
            {**op, "result": _stored(op["result"]), "received_at": received_at}
            for op in batch.plan.ops
        ],
    )
