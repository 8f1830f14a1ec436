"""Entry ops: check each against the user's scope and the entry's history, then bulk-write them."""
from datetime import date, datetime, timezone
from functools import lru_cache

from marshmallow import ValidationError
from sqlalchemy import select, update

from schemas.entries import (CORE_SCHEMAS, EntryPayload, OpSchema, PassportEditPayload, pupils_of,
                             subject_of)
from schemas.fast import fast_op, fast_session_core
from server.models import AuditEvent, Entry, EntryPupil
from server.models.bulk import among, execute_many, lookup
from server.models.sequence import next_seqs
from sync import concerns, merge, templates
from sync.results import rejected

OP_SCHEMA = OpSchema()
PAYLOADS = {"entry": EntryPayload(), "passport_edit": PassportEditPayload()}


def parse_op(op) -> tuple[dict | None, dict]:
    """Validate an op's envelope, then its payload; payload errors nest under the op type.
    Ids come back as canonical text (str of the UUID), the form every later step uses."""
    fast = fast_op(op)
    if fast is not None:
        return fast, {}
    if not isinstance(op, dict):
        return None, {"_schema": ["Each op must be a JSON object."]}
    try:
        parsed = OP_SCHEMA.load(op)
    except ValidationError as err:
        return None, err.messages
    kind = parsed["type"]
    if kind not in parsed:
        return None, {kind: ["Missing data for required field."]}
    try:
        parsed[kind] = PAYLOADS[kind].load(parsed[kind])
    except ValidationError as err:
        return None, {kind: err.messages}
    parsed["op_id"] = str(parsed["op_id"])
    if kind == "entry":
        parsed[kind]["entry_id"] = str(parsed[kind]["entry_id"])
    return parsed, {}


@lru_cache
def _heads_query(dialect: str):
    return select(Entry.entry_id, Entry.rev, Entry.kind, Entry.school_id, Entry.pupil_ids,
                  Entry.core, Entry.answers, Entry.group_id, Entry.deleted, Entry.date,
                  Entry.template_id, Entry.template_version).where(
        among(Entry.entry_id, "ids", dialect), Entry.is_head.is_(True))


@lru_cache
def _new_ids_query(dialect: str):
    return select(Entry.id, Entry.entry_id, Entry.rev).where(among(Entry.entry_id, "ids", dialect))


def load_heads(session, school_id: int, ops: list[dict]) -> dict:
    """The current head version of every entry the batch's valid ops name, in one query."""
    ids = list({op["entry"]["entry_id"] for op in ops if op["type"] == "entry"})
    if not ids:
        return {}
    return {row.entry_id: row._asdict()
            for row in lookup(session, _heads_query, {"ids": ids})}


def plan_entry(batch, parsed: dict, item) -> dict:
    """`item`: the op as prepared before the write lock, with its checked version."""
    op_id, payload = parsed["op_id"], parsed["entry"]
    entry_id, scope = payload["entry_id"], batch.scope
    if not scope.can_write(payload["kind"]):
        return rejected(op_id, {"entry": {"kind": [f"Your role cannot record {payload['kind']}."]}})
    head = batch.heads.get(entry_id)
    problem = _history_problem(head, payload, scope.school_id)
    if problem:
        return {"op_id": op_id, "status": "conflict", "entry_id": entry_id, "message": problem,
                **({"rev": head["rev"]} if head else {})}
    if payload["deleted"]:
        row = version_row(scope, batch.device_id, payload, head["core"], {})
    elif item.content_errors:
        return rejected(op_id, {"entry": item.content_errors})
    else:
        row = item.version
    row["rev"] = rev = head["rev"] + 1 if head else 1
    batch.entries.append(row)
    batch.heads[entry_id] = row
    return {"op_id": op_id, "status": "accepted", "entry_id": entry_id, "rev": rev}


def _history_problem(head, payload: dict, school_id: int) -> str | None:
    base = payload["base_rev"]
    if head is None:
        return "There is no such entry to correct or delete." if base else None
    if head["school_id"] != school_id:
        return "This entry id is already used."
    if base is None:
        return "This entry already exists; send a correction with base_rev."
    if head["kind"] != payload["kind"]:
        return "A correction cannot change the kind of entry."
    if head["deleted"]:
        return "This entry was deleted."
    if base != head["rev"]:
        return (f"This entry changed since you opened it (now revision {head['rev']}, "
                f"you edited {base}). Reload it and make your change again.")
    return None


def check_content(session, scope, device_id: str, payload: dict) -> tuple[dict | None, dict]:
    """Core fields typed by kind, pupils and group in the user's scope, answers per template.
    Gives the version row to store (its rev is set under the write lock), or the errors."""
    kind = payload["kind"]
    core = fast_session_core(payload["core"]) if kind == "session_record" else None
    if core is None:
        try:
            core = CORE_SCHEMAS[kind].dump(CORE_SCHEMAS[kind].load(payload["core"]))
        except ValidationError as err:
            return None, {"core": err.messages}
    errors = {}
    outside = [p for p in pupils_of(kind, core) if p not in scope.pupils]
    if outside:
        errors["core"] = {"pupils": [f"Pupil {p} is not one of your pupils." for p in outside]}
    if core.get("group_id") is not None and core["group_id"] not in scope.groups:
        errors.setdefault("core", {})["group_id"] = ["This is not one of your groups."]
    template_errors = templates.check_answers(session, scope.school_id, payload)
    if template_errors:
        errors.update(template_errors)
    if errors:
        return None, errors
    return version_row(scope, device_id, payload, core, payload["answers"]), {}


def version_row(scope, device_id: str, payload: dict, core: dict, answers: dict) -> dict:
    return {
        "school_id": scope.school_id, "entry_id": payload["entry_id"], "rev": None,
        "base_rev": payload["base_rev"], "is_head": True, "deleted": payload["deleted"],
        "kind": payload["kind"], "template_id": payload["template_id"],
        "template_version": payload["template_version"], "group_id": core.get("group_id"),
        "pupil_ids": pupils_of(payload["kind"], core) if core else [],
        "date": date.fromisoformat(core["date"]),
        "recorded_at": payload["recorded_at"], "received_at": datetime.now(timezone.utc),
        "author_id": scope.staff_id, "device_id": device_id,
        "core": core, "answers": answers,
    }


ENTRY_INSERT = Entry.__table__.insert()
PUPIL_LINK_INSERT = EntryPupil.__table__.insert()
AUDIT_INSERT = AuditEvent.__table__.insert()


def write(batch) -> None:
    """Insert the planned versions, retire the heads they replace, and index their pupils.

    The versions are numbered first, in the INSERT: the school's counter row then stays locked
    until commit, so pulls see them in order. (Numbering after the insert, with an UPDATE,
    rewrote every new row and its index entries: a fifth of the pages a push wrote.)"""
    rows = batch.entries
    if not rows:
        return
    last = {row["entry_id"]: i for i, row in enumerate(rows)}
    seqs = next_seqs(batch.session, batch.scope.school_id, len(rows))
    for i, (row, seq) in enumerate(zip(rows, seqs)):
        # An entry created and corrected in one batch: only its last version is the head.
        row["server_seq"], row["is_head"] = seq, last[row["entry_id"]] == i
    execute_many(batch.session, ENTRY_INSERT, rows)
    pk_of = {(r.entry_id, r.rev): r.id
             for r in lookup(batch.session, _new_ids_query, {"ids": list(last)})}
    new_ids = [pk_of[(row["entry_id"], row["rev"])] for row in rows]
    corrected = {row["entry_id"] for row in rows if row["rev"] > 1}
    if corrected:
        batch.session.execute(update(Entry).where(Entry.entry_id.in_(corrected),
                                                  Entry.id.not_in(new_ids)).values(is_head=False))
    merge.apply_batch(batch.session, batch.scope.school_id, batch.replaced,
                      {entry_id: batch.heads[entry_id] for entry_id in last},
                      _session_deltas(batch, last))
    links = _pupil_links(batch.scope.school_id, new_ids, rows)
    execute_many(batch.session, PUPIL_LINK_INSERT, links)
    audit_rows(batch, rows)
    concerns.raise_for(batch, list(zip(new_ids, rows)))


def _pupil_links(school_id: int, new_ids: list[int], rows: list[dict]) -> list[dict]:
    links = []
    for pk, row in zip(new_ids, rows):
        subject = subject_of(row["kind"], row["core"]) if row["core"] else None
        links.extend({"entry_pk": pk, "pupil_id": p, "school_id": school_id,
                      "is_subject": p == subject} for p in set(row["pupil_ids"]))
    return links


def _session_deltas(batch, written: dict):
    """The prepared session contributions, less those of versions that were refused or were
    replaced by a later op in this same batch."""
    deltas = batch.prepared.sessions.copy()
    heads = {id(batch.heads[entry_id]) for entry_id in written}
    for item in batch.prepared.ops:
        version = item.version
        if version and version["kind"] == "session_record" and id(version) not in heads:
            deltas.add_session(version, -1)
    return deltas


def audit_rows(batch, rows: list[dict]) -> None:
    """Bulk inserts bypass the ORM flush hook, so write their audit events here, same transaction."""
    execute_many(batch.session, AUDIT_INSERT, [{
        "school_id": row["school_id"], "actor_id": row["author_id"], "device_id": row["device_id"],
        "action": "delete" if row["deleted"] else "create" if row["rev"] == 1 else "update",
        "resource": "entries", "resource_id": f"{row['entry_id']}/{row['rev']}",
        "detail": {"kind": row["kind"]}, "at": row["received_at"]} for row in rows])
