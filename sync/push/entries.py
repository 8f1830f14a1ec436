"""Entry versions: check each against the writer's scope, authority and the entry's history,
then write the batch's versions with a handful of bulk statements."""

from datetime import date
from functools import lru_cache

from marshmallow import ValidationError
from sqlalchemy import select, update
from sqlalchemy.orm import aliased

from schemas.entries import CORE_SCHEMAS, ENTRY_KINDS, pupils_of, subject_of
from schemas.fast import fast_session_core
from schemas.templates import safeguarding_question_ids
from server.models import Entry, EntryPupil, audit
from server.models.bulk import among, execute_many, lookup
from server.models.sequence import next_seqs
from server.policy import reads_safeguarding
from sync import templates
from sync.entry_view import CONCERN_FIELDS
from sync.push.rosters import session_problems
from sync.results import rejected


@lru_cache
def _heads_query(dialect: str):
    # The entry's author is whoever recorded its first version: a SENCO's correction does not
    # take the record away from the TA who wrote it.
    first = aliased(Entry)
    created_by = (
        select(first.author_id)
        .where(first.entry_id == Entry.entry_id, first.rev == 1)
        .scalar_subquery()
    )
    return select(
        Entry.entry_id,
        Entry.rev,
        Entry.kind,
        Entry.school_id,
        Entry.pupil_ids,
        Entry.core,
        Entry.answers,
        Entry.group_id,
        Entry.deleted,
        Entry.date,
        Entry.template_id,
        Entry.template_version,
        created_by.label("created_by"),
    ).where(among(Entry.entry_id, "ids", dialect), Entry.is_head.is_(True))


@lru_cache
def _new_ids_query(dialect: str):
    return select(Entry.id, Entry.entry_id, Entry.rev).where(among(Entry.entry_id, "ids", dialect))


def load_heads(session, ops: list[dict]) -> dict:
    """The current head version of every entry the batch's valid ops name, in one query."""
    ids = list({op["entry"]["entry_id"] for op in ops if op["type"] == "entry"})
    if not ids:
        return {}
    return {row.entry_id: row._asdict() for row in lookup(session, _heads_query, {"ids": ids})}


def plan_entry(batch, parsed: dict, item) -> dict:
    """`item`: the op as prepared before the write lock, with its checked version."""
    op_id, payload = parsed["op_id"], parsed["entry"]
    entry_id, scope, plan = payload["entry_id"], batch.scope, batch.plan
    if not scope.can_write(payload["kind"]):
        return rejected(op_id, {"entry": {"kind": [f"Your role cannot record {payload['kind']}."]}})
    head = plan.heads.get(entry_id)
    problem = _history_problem(head, payload, scope.school_id)
    if problem:
        return {
            "op_id": op_id,
            "status": "conflict",
            "entry_id": entry_id,
            "message": problem,
            **({"rev": head["rev"]} if head else {}),
        }
    if head and not scope.can_amend(plan.authors[entry_id], head["pupil_ids"]):
        return rejected(
            op_id,
            {
                "entry": {
                    "base_rev": [
                        "Only the person who recorded this, or the SENCO, can change or withdraw it."
                    ]
                }
            },
            message="Only the person who recorded this, or the SENCO, can change or withdraw it.",
        )
    if payload["deleted"]:
        row = version_row(batch.input, payload, head["core"], {})
    elif item.content_errors:
        return rejected(op_id, {"entry": item.content_errors})
    else:
        row = item.version
        if head and not reads_safeguarding(scope.staff):
            _keep_withheld(batch.session, row, head)
    row["rev"] = rev = head["rev"] + 1 if head else 1
    plan.authors.setdefault(entry_id, scope.staff_id)
    plan.entries.append(row)
    plan.heads[entry_id] = row
    return {"op_id": op_id, "status": "accepted", "entry_id": entry_id, "rev": rev}


def _keep_withheld(session, row: dict, head: dict) -> None:
    """The writer corrected from a copy cut of its safeguarding content (sync/entry_view.py):
    what they were never shown stays as it was, so a correction cannot erase what went to the
    safeguarding lead. What they wrote themselves stands."""
    for key in CONCERN_FIELDS:
        if head["core"].get(key) is not None and row["core"].get(key) is None:
            row["core"][key] = head["core"][key]
    definition = (
        templates.find_definition(
            session, head["school_id"], head["template_id"], head["template_version"]
        )
        or {}
    )
    for question in safeguarding_question_ids(definition):
        if question in head["answers"] and question not in row["answers"]:
            row["answers"] = {**row["answers"], question: head["answers"][question]}


def _history_problem(head, payload: dict, school_id: int) -> str | None:
    base = payload["base_rev"]
    if head is None:
        return (
            "There is no such entry to correct or delete." if base or payload["deleted"] else None
        )
    if head["school_id"] != school_id:
        return "This entry id is already used."
    if base is None:
        return "This entry already exists; send a correction with base_rev."
    if head["kind"] != payload["kind"]:
        return "A correction cannot change the kind of entry."
    if head["deleted"]:
        return "This entry was deleted."
    if base != head["rev"]:
        return (
            f"This entry changed since you opened it (now revision {head['rev']}, "
            f"you edited {base}). Reload it and make your change again."
        )
    return None


def check_content(session, push_input, payload: dict, runs: dict) -> tuple[dict | None, dict]:
    """Core fields typed by kind, pupils and group in the user's scope, a session's pupils in
    its group on that day, answers per template. Gives the version row to store (its rev is
    set under the write lock), or the errors. `runs`: rosters.load_runs for the batch."""
    kind, scope = payload["kind"], push_input.scope
    core = fast_session_core(payload["core"]) if kind == "session_record" else None
    if core is None:
        try:
            core = CORE_SCHEMAS[kind].dump(CORE_SCHEMAS[kind].load(payload["core"]))
        except ValidationError as err:
            return None, {"core": err.messages}
    core_errors = {}
    outside = [p for p in pupils_of(kind, core) if p not in scope.pupils]
    if outside:
        core_errors["pupils"] = [f"Pupil {p} is not one of your pupils." for p in outside]
    if core.get("group_id") is not None and core["group_id"] not in scope.groups:
        core_errors["group_id"] = ["This is not one of your groups."]
    elif kind == "session_record":
        core_errors.update(session_problems(runs.get(core["group_id"]), core))
    errors = {"core": core_errors} if core_errors else {}
    errors.update(templates.check_answers(session, scope.school_id, payload))
    if errors:
        return None, errors
    return version_row(push_input, payload, core, payload["answers"]), {}


def version_row(push_input, payload: dict, core: dict, answers: dict) -> dict:
    scope = push_input.scope
    return {
        "school_id": scope.school_id,
        "entry_id": payload["entry_id"],
        "rev": None,
        "base_rev": payload["base_rev"],
        "is_head": True,
        "deleted": payload["deleted"],
        "kind": payload["kind"],
        "template_id": payload["template_id"],
        "template_version": payload["template_version"],
        "group_id": core.get("group_id"),
        "pupil_ids": pupils_of(payload["kind"], core) if core else [],
        "date": date.fromisoformat(core["date"]),
        "recorded_at": payload["recorded_at"],
        "received_at": push_input.received_at,
        "author_id": scope.staff_id,
        "device_id": push_input.device_id,
        "core": core,
        "answers": answers,
    }


ENTRY_INSERT = Entry.__table__.insert()
PUPIL_LINK_INSERT = EntryPupil.__table__.insert()


def write_versions(batch) -> list[tuple[int, dict]]:
    """Insert the planned versions, retire the heads they replace, and index their pupils.
    Gives (primary key, row) of each new version, in op order.

    The versions are numbered first, in the INSERT: the school's counter row then stays locked
    until commit, so pulls see them in order. (Numbering after the insert, with an UPDATE,
    rewrote every new row and its index entries: a fifth of the pages a push wrote.)"""
    rows, session = batch.plan.entries, batch.session
    if not rows:
        return []
    last = {row["entry_id"]: i for i, row in enumerate(rows)}
    seqs = next_seqs(session, batch.scope.school_id, len(rows))
    for i, (row, seq) in enumerate(zip(rows, seqs)):
        # An entry created and corrected in one batch: only its last version is the head.
        row["server_seq"], row["is_head"] = seq, last[row["entry_id"]] == i
    audit.insert_audited(session, ENTRY_INSERT, rows, [version_event(row) for row in rows])
    pk_of = {
        (r.entry_id, r.rev): r.id for r in lookup(session, _new_ids_query, {"ids": list(last)})
    }
    new_ids = [pk_of[(row["entry_id"], row["rev"])] for row in rows]
    corrected = {row["entry_id"] for row in rows if row["rev"] > 1}
    if corrected:
        session.execute(
            update(Entry)
            .where(Entry.entry_id.in_(corrected), Entry.id.not_in(new_ids))
            .values(is_head=False)
        )
    execute_many(session, PUPIL_LINK_INSERT, _pupil_links(batch.scope.school_id, new_ids, rows))
    return list(zip(new_ids, rows))


def version_event(row: dict) -> dict:
    """The audit event of one stored version: created, corrected or withdrawn."""
    return {
        "school_id": row["school_id"],
        "actor_id": row["author_id"],
        "device_id": row["device_id"],
        "action": "delete" if row["deleted"] else "create" if row["rev"] == 1 else "update",
        "resource": "entries",
        "resource_id": f"{row['entry_id']}/{row['rev']}",
        "detail": _KIND_DETAIL[row["kind"]],
        "at": row["received_at"],
    }


# Shared, so a batch's rows of one kind hand the bulk writer the same object to convert once.
_KIND_DETAIL = {kind: {"kind": kind} for kind in ENTRY_KINDS}


def _pupil_links(school_id: int, new_ids: list[int], rows: list[dict]) -> list[dict]:
    links = []
    for pk, row in zip(new_ids, rows):
        subject = subject_of(row["kind"], row["core"]) if row["core"] else None
        links.extend(
            {"entry_pk": pk, "pupil_id": p, "school_id": school_id, "is_subject": p == subject}
            for p in set(row["pupil_ids"])
        )
    return links


def session_deltas(batch):
    """The prepared session contributions, less those of versions that were refused or were
    replaced by a later op in this same batch."""
    deltas = batch.input.sessions.copy()
    heads = {id(head) for head in batch.plan.heads.values()}
    for item in batch.input.ops:
        version = item.version
        if version and version["kind"] == "session_record" and id(version) not in heads:
            deltas.add_session(version, -1)
    return deltas
