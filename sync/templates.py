"""Find the template version an entry was filled from, and check its answers against it."""

from functools import lru_cache

from sqlalchemy import bindparam, select

from schemas.template_answers import answerable, validate_answers
from server.models import Template

CONCERN_VALUES = {"worried", "not_safe"}


def _builtin(template_id: str, version: int) -> dict | None:
    from schemas.templates import builtin_templates

    found = builtin_templates()
    for definition in found.values() if isinstance(found, dict) else found:
        if definition["id"] == template_id and definition["version"] == version:
            return definition
    return None


def find_definition(session, school_id: int, template_id: str, version: int) -> dict | None:
    """Built-in or the school's own; cached on the session, since a batch repeats the same few."""
    cache = session.info.setdefault("template_cache", {})
    key = (school_id, template_id, version)
    if key not in cache:
        definition = _builtin(template_id, version)
        if definition is None:
            row = (
                session.connection()
                .execute(
                    _school_definition(),
                    {"school_id": school_id, "template_id": template_id, "version": version},
                )
                .first()
            )
            definition = {**row.definition, "kind": row.kind} if row else None
        cache[key] = definition
    return cache[key]


@lru_cache
def _school_definition():
    # Core, built once: every push asks it, and through the ORM it cost a push about 1%
    # (bench/push_cost.py).
    templates = Template.__table__.c
    return select(templates.definition, templates.kind).where(
        templates.school_id == bindparam("school_id"),
        templates.template_id == bindparam("template_id"),
        templates.version == bindparam("version"),
    )


def check_answers(session, school_id: int, payload: dict) -> dict:
    key = (school_id, payload["template_id"], payload["template_version"])
    definition = find_definition(session, *key)
    if definition is None:
        return {
            "template_id": [
                f"No template {payload['template_id']!r} version "
                f"{payload['template_version']} in this school."
            ]
        }
    if definition.get("kind") != payload["kind"]:
        return {
            "template_id": [
                f"This template is for {definition.get('kind')}, not {payload['kind']}."
            ]
        }
    # A batch repeats the same few templates: list their questions once per request.
    questions = session.info.setdefault("template_questions", {})
    if key not in questions:
        questions[key] = answerable(definition)
    # A partial pupil-voice entry (pupil mode left half-way) need not answer required questions.
    partial = payload["core"].get("partial") is True
    errors = validate_answers(definition, payload["answers"], questions[key], partial=partial)
    return {"answers": errors} if errors else {}


def safeguarding_answers(session, row: dict) -> list[tuple[str, str]]:
    """(prompt, answer) pairs where a pupil said they are worried or not safe."""
    from schemas.templates import safeguarding_question_ids

    definition = find_definition(
        session, row["school_id"], row["template_id"], row["template_version"]
    )
    if definition is None:
        return []
    prompts = {
        q["id"]: q.get("prompt", q["id"])
        for section in definition.get("sections", [])
        for q in section.get("questions", [])
    }
    found = []
    for question_id in safeguarding_question_ids(definition):
        value = row["answers"].get(question_id)
        if isinstance(value, str) and value.lower() in CONCERN_VALUES:
            found.append((prompts.get(question_id, question_id), value.lower()))
    return found
