"""The read cut (DESIGN §3, "Field-level reads"): what one reader may see of an entry.

Every read of entries (pull, passport suggestions and targets, print) goes through `cut`, so the
rules live here once. Two cuts:

- Pupils: beyond the SENCO, a multi-pupil entry carries only the rows of pupils in the reader's
  scope. Group-level fields stay. An entry about one pupil the reader cannot see is not read at
  all (it only reaches them as its author, or through a concern pupil they will not be shown).
- Safeguarding: the concern note, the pupil a concern names and every safeguarding-tagged answer
  live on the concern. Anyone who is not the SENCO or a DSL gets instead
      "withheld": {"fields": ["answers.worry", "core.concern_note"], "message": WITHHELD_MESSAGE}
  and the SENCO and DSLs get the content with "safeguarding": {"fields": [...]}, which names what
  they were shown so the read can be audited.

`flagged_concern` stays: it says no more than the marker does, and keeping it means an entry its
author corrects from a cut copy still goes to the safeguarding lead.
"""

from collections.abc import Callable

from sqlalchemy import exists, or_

from schemas.entries import SUBJECT_KINDS
from schemas.templates import safeguarding_question_ids
from server.models import Entry, EntryPupil
from server.models.scope import visible_pupil_ids
from server.policy import readable_kinds, reads_safeguarding
from sync.scope import Scope
from sync.templates import find_definition

WITHHELD_MESSAGE = "Passed to the safeguarding lead."
CONCERN_FIELDS = ("concern_note", "concern_pupil_id")
BLANK = (None, "", [])  # an unanswered question: nothing to withhold, nothing to audit
PUPIL_ROWS = {"session_record": "attendance"}  # kind -> the core list holding one row per pupil


def readable(scope: Scope):
    """Which stored versions a reader may be sent, as a SQL condition (None: none at all), before
    `cut` trims each one: head versions of the kinds their role reads and, beyond the SENCO, only
    entries about their pupils or recorded by them. Pull and the REST list both ask this."""
    kinds = readable_kinds(scope.role)
    if not kinds:
        return None
    condition = Entry.is_head.is_(True) & Entry.kind.in_(kinds)
    if scope.whole_school:
        return condition
    about_mine = exists().where(
        EntryPupil.entry_pk == Entry.id, EntryPupil.pupil_id.in_(visible_pupil_ids(scope.staff))
    )
    return condition & or_(about_mine, Entry.author_id == scope.staff.id)


def sensitive_reads(entries: list[dict]) -> dict:
    """What an audit row names of the reader's copies just sent: the conversations with parents,
    and the entries whose safeguarding content they were shown (marked by `cut`)."""
    return {
        "conversations": [e["entry_id"] for e in entries if e.get("kind") == "conversation"],
        "safeguarding": [e["entry_id"] for e in entries if "safeguarding" in e],
    }


def dump(entry: Entry) -> dict:
    """An entry version as every reader's copy starts: the stored row, before any cut."""
    if entry.deleted:
        return {"entry_id": entry.entry_id, "rev": entry.rev, "kind": entry.kind}
    return {
        "entry_id": entry.entry_id,
        "rev": entry.rev,
        "base_rev": entry.base_rev,
        "kind": entry.kind,
        "template_id": entry.template_id,
        "template_version": entry.template_version,
        "date": entry.date.isoformat(),
        "recorded_at": entry.recorded_at.isoformat(),
        "author_id": entry.author_id,
        "group_id": entry.group_id,
        "pupil_ids": entry.pupil_ids,
        "core": entry.core,
        "answers": entry.answers,
    }


def cut(entry: dict, scope: Scope, safeguarding: bool, tagged=()) -> dict | None:
    """The reader's copy of a dumped entry, or None when they may read none of it. `tagged` is
    the entry template's safeguarding question ids. The stored dicts are never changed."""
    if "core" not in entry:  # a tombstone names no pupil and says nothing
        return entry
    if not safeguarding:
        entry = _unname_concern_pupil(entry)
        if not _reaches(entry, scope):
            return None
    if not scope.whole_school:
        entry = _pupil_cut(entry, scope.pupils)
        if entry is None:
            return None
    core, answers = entry["core"], entry["answers"]
    fields = [f"core.{k}" for k in CONCERN_FIELDS if core.get(k) not in BLANK]
    fields += [f"answers.{q}" for q in tagged if answers.get(q) not in BLANK]
    if not fields:
        return entry
    if safeguarding:
        return {**entry, "safeguarding": {"fields": sorted(fields)}}
    return {
        **entry,
        "core": {k: v for k, v in core.items() if k not in CONCERN_FIELDS},
        "answers": {k: v for k, v in answers.items() if k not in tagged},
        "withheld": {"fields": sorted(fields), "message": WITHHELD_MESSAGE},
    }


def _unname_concern_pupil(entry: dict) -> dict:
    """pupil_ids less the pupil a concern names, unless the entry names them for what it records
    too (its subject, an attendance row): a walk's pupil_ids would otherwise say who it is about."""
    core = entry["core"]
    named = core.get("concern_pupil_id")
    if named is None or named not in entry["pupil_ids"]:
        return entry
    rows = core.get(PUPIL_ROWS.get(entry["kind"]), ())
    if named == core.get("pupil_id") or any(row["pupil_id"] == named for row in rows):
        return entry
    return {**entry, "pupil_ids": [p for p in entry["pupil_ids"] if p != named]}


def _reaches(entry: dict, scope: Scope) -> bool:
    """Beyond the SENCO, an entry reaches its author and the staff of the pupils it is about. One
    that only a concern linked to the reader's pupil is not theirs: the walk itself would say
    that a concern was raised about one of their pupils."""
    return (
        scope.whole_school
        or entry.get("author_id") == scope.staff_id
        or any(p in scope.pupils for p in entry["pupil_ids"])
    )


def _pupil_cut(entry: dict, mine: set) -> dict | None:
    core = entry["core"]
    if entry["kind"] in SUBJECT_KINDS and core.get("pupil_id") not in mine:
        return None
    if all(p in mine for p in entry["pupil_ids"]):
        return entry
    rows = PUPIL_ROWS.get(entry["kind"])
    core = {k: v for k, v in core.items() if k != "concern_pupil_id" or v in mine}
    if rows in core:
        core[rows] = [row for row in core[rows] if row["pupil_id"] in mine]
    return {**entry, "pupil_ids": [p for p in entry["pupil_ids"] if p in mine], "core": core}


def for_reader(session, scope: Scope) -> Callable[[dict], dict | None]:
    """`cut` bound to one reader, with each template's tagged questions looked up once."""
    safeguarding = reads_safeguarding(scope.staff)
    tagged: dict = {}

    def view(entry: dict) -> dict | None:
        if "core" not in entry:
            return entry
        key = (entry["template_id"], entry["template_version"])
        if key not in tagged:
            definition = find_definition(session, scope.school_id, *key) or {}
            tagged[key] = frozenset(safeguarding_question_ids(definition))
        return cut(entry, scope, safeguarding, tagged[key])

    return view
