"""Safeguarding concerns as the SENCO and DSLs read them: the pupil by name, the record that
raised the concern, the pupil's answers in the order they were asked (the worrying one marked),
and every action taken. Only ever called for a reader who may see safeguarding content
(server/policy.py reads_safeguarding); the API audits each read."""

from sqlalchemy import select

from schemas.concern import ACTIONS
from schemas.templates import safeguarding_question_ids
from server.models import Concern, ConcernAction, Entry, Group, Pupil, Staff
from sync.print_words import answer
from sync.templates import CONCERN_VALUES, find_definition

KIND_WORDS = {
    "pupil_voice": "pupil voice",
    "session_record": "session record",
    "conversation": "conversation with parents",
    "learning_walk": "learning walk",
}


def _by_id(session, model, ids) -> dict:
    ids = set(ids) - {None}
    return {r.id: r for r in session.scalars(select(model).where(model.id.in_(ids)))} if ids else {}


def _questions(session, entry: Entry) -> list[dict]:
    definition = find_definition(
        session, entry.school_id, entry.template_id, entry.template_version
    )
    return [q for s in (definition or {}).get("sections", []) for q in s.get("questions", [])]


def _prompt(session, entry: Entry, question: dict) -> str:
    """The question as the pupil was asked it: "{intervention}" is the name of the group,
    as the app put it on screen (pwa/js/views/voice.js)."""
    prompt = question.get("prompt", question["id"])
    if "{intervention}" not in prompt:
        return prompt
    group = session.get(Group, entry.group_id) if entry.group_id else None
    return prompt.replace("{intervention}", group.name if group else "the group sessions")


def _worrying(entry: Entry, questions: list[dict]) -> set[str]:
    tagged = safeguarding_question_ids({"sections": [{"questions": questions}]})
    return {
        q
        for q in tagged
        if isinstance(entry.answers.get(q), str) and entry.answers[q].lower() in CONCERN_VALUES
    }


def headline(session, concern: Concern, entry: Entry | None, names: dict) -> str:
    """One line for the list: what the pupil said, or who flagged it."""
    if entry is None:
        return concern.reason
    if entry.core.get("flagged_concern") and entry.kind != "pupil_voice":
        return f"Flagged by {names.get(entry.author_id, 'staff')} on a {KIND_WORDS[entry.kind]}"
    questions = _questions(session, entry)
    worrying = _worrying(entry, questions)
    said = [
        f"Answered “{answer(q, entry.answers[q['id']])}” to “{_prompt(session, entry, q)}”"
        for q in questions
        if q["id"] in worrying
    ]
    return "; ".join(said) or concern.reason


def context(session, entry: Entry | None) -> list[dict]:
    """Every answered question of the entry, in the order the pupil was asked."""
    if entry is None:
        return []
    questions = _questions(session, entry)
    worrying = _worrying(entry, questions)
    lines = []
    for q in questions:
        words = answer(q, entry.answers.get(q["id"]))
        if words:
            lines.append(
                {
                    "question": _prompt(session, entry, q),
                    "answer": words,
                    "raised": q["id"] in worrying,
                }
            )
    return lines


def actions_of(session, concern_ids: list[int]) -> dict:
    rows = (
        list(
            session.scalars(
                select(ConcernAction)
                .where(ConcernAction.concern_id.in_(concern_ids))
                .order_by(ConcernAction.id)
            )
        )
        if concern_ids
        else []
    )
    names = {s.id: s.name for s in _by_id(session, Staff, [r.taken_by for r in rows]).values()}
    found: dict = {}
    for r in rows:
        found.setdefault(r.concern_id, []).append(
            {
                "id": r.id,
                "action": r.action,
                "words": ACTIONS.get(r.action, r.action),
                "note": r.note,
                "taken_by": names.get(r.taken_by),
                "taken_at": r.taken_at,
            }
        )
    return found


def rows(session, concerns: list[Concern], detail: bool = False) -> list[dict]:
    """The concerns in words; with detail, each carries its record's answers in context."""
    pupils = _by_id(session, Pupil, [c.pupil_id for c in concerns])
    entries = _by_id(session, Entry, [c.entry_pk for c in concerns])
    names = {
        s.id: s.name
        for s in _by_id(session, Staff, [e.author_id for e in entries.values()]).values()
    }
    actions = actions_of(session, [c.id for c in concerns])
    out = []
    for c in concerns:
        pupil, entry = pupils.get(c.pupil_id), entries.get(c.entry_pk)
        row = {
            **{k: getattr(c, k) for k in ("id", "pupil_id", "reason", "status", "raised_at")},
            **{k: getattr(c, k) for k in ("handled_by", "handled_at", "notes")},
            "pupil_name": f"{pupil.preferred_name or pupil.forename} {pupil.surname}",
            "year_group": pupil.year_group,
            "entry_id": entry and entry.entry_id,
            "entry_kind": entry and entry.kind,
            "entry_date": entry and entry.date,
            "recorded_by": entry and names.get(entry.author_id),
            "headline": headline(session, c, entry, names),
            "actions": actions.get(c.id, []),
        }
        if detail:
            row["context"] = context(session, entry)
            row["context_note"] = entry and entry.core.get("concern_note")
        out.append(row)
    return out
