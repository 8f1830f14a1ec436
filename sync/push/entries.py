"""Entry versions: check each against the writer's scope, authority and the entry's history,
and plan its new version (sync/push/versions.py writes them)."""

from datetime import date
from functools import lru_cache

from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import aliased

from schemas.entries import CORE_SCHEMAS, KIND_WORDS, pupils_of
from schemas.fast import fast_session_core
from schemas.templates import safeguarding_question_ids
from server.models import Entry
from server.models.bulk import among, lookup
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
        refused = f"Your role cannot record {KIND_WORDS[payload['kind']]}."
        return rejected(op_id, {"entry": {"kind": [refused]}})
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
        missing = "The record to correct or withdraw is not on the server."
        return missing if base or payload["deleted"] else None
    if head["school_id"] != school_id:
        return "This record's id is already used."
    if base is None:
        return "This record is already saved. Open it again to correct it."
    if head["kind"] != payload["kind"]:
        return "A correction cannot change the kind of record."
    if head["deleted"]:
        return "This record was withdrawn."
    if base != head["rev"]:
        return (
            "Someone changed this record after you opened it. "
            "Compare the two versions and choose which to keep."
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
