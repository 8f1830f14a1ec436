"""Form templates as data: the definition schema, the built-in forms, and the wire schemas.

A definition is {"sections": [{"questions": [...]}]} plus kind-specific lists (purposes, age band,
modes ...). Built-ins live in schemas/forms/*.json; schools add their own through the API.
"""

import json
from functools import cache
from pathlib import Path

from marshmallow import ValidationError, fields, validate, validates_schema

from schemas.base import Pattern, StrictSchema, name_field, one_of
from schemas.dates import Moment
from schemas.entries import ENTRY_KINDS
from schemas.template_answers import (  # noqa: F401 (validate_answers is re-exported)
    CONDITION_TYPES,
    QUESTION_TYPES,
    condition_value_problem,
    validate_answers,
)

FORMS_DIR = Path(__file__).parent / "forms"
SLUG = Pattern(
    r"^[a-z0-9]+(-[a-z0-9]+)*$",
    error="Use lower-case letters, digits and single hyphens, e.g. 'reading-check'.",
)
KEY = Pattern(r"^[a-z][a-z0-9_]*$", error="Use lower-case letters, digits and underscores.")
CHOICE_TYPES = ("choice", "multichoice")
RANGED_TYPES = ("number", "scale")
SAFEGUARDING_TAG = "safeguarding"


class Bound(fields.Float):
    """A min or max that stays an int when written as one, so stored JSON reads as typed."""

    def _format_num(self, value):
        return value if isinstance(value, int) else float(value)


def _key(max_length: int = 64, **kwargs) -> fields.String:
    return fields.String(validate=[validate.Length(min=1, max=max_length), KEY], **kwargs)


class OptionSchema(StrictSchema):
    value = fields.String(
        required=True, validate=[validate.Length(min=1, max=64), Pattern(r"^[a-z0-9_]+$")]
    )
    label = name_field(200, required=True)
    symbol = name_field(
        64, metadata={"description": "Picture or symbol the PWA shows with the label"}
    )


def _options(**kwargs) -> fields.List:
    return fields.List(fields.Nested(OptionSchema), validate=validate.Length(max=50), **kwargs)


class ConditionValue(fields.Raw):
    """An answer value a condition names: an option's value, a face or scale number, red, amber
    or green, or true/false. Which of these fits is checked against the question it names."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, float) or not isinstance(value, (str, int, bool)):
            raise ValidationError("Give an answer value: text, a whole number, true or false.")
        if isinstance(value, str) and not 1 <= len(value) <= 64:
            raise ValidationError("Keep each value between 1 and 64 characters.")
        return value


# "in" is a Python keyword, so the schema is built from a dict: the stored key stays "in".
ShowIfSchema = StrictSchema.from_dict(
    {
        "question": _key(
            required=True, metadata={"description": "An earlier question's id, answered once"}
        ),
        "in": fields.List(
            ConditionValue(),
            required=True,
            validate=validate.Length(min=1, max=50),
            metadata={"description": "The answers to it that lead to this question"},
        ),
    },
    name="ShowIfSchema",
)


class QuestionSchema(StrictSchema):
    id = _key(required=True)
    prompt = name_field(500, required=True)
    type = one_of(QUESTION_TYPES, required=True)
    required = fields.Boolean(load_default=False)
    options = _options()
    min = Bound()
    max = Bound()
    tags = fields.List(name_field(64), validate=validate.Length(max=20))
    help = name_field(1000)
    core = name_field(64, metadata={"description": "The entry core field this answer is kept in"})
    show_if = fields.Nested(
        ShowIfSchema,
        metadata={
            "description": "Ask this question only when an earlier question was answered with one "
            'of these values, e.g. {"question": "worry", "in": ["worried"]}. A question not '
            "asked is never required, and an answer to it is refused."
        },
    )

    @validates_schema
    def check_shape(self, data, **kwargs):
        qtype, options = data.get("type"), data.get("options")
        if qtype in CHOICE_TYPES:
            values = [o["value"] for o in options or []]
            if len(values) < 2:
                raise ValidationError(
                    {"options": ["A choice question needs at least two options."]}
                )
            if len(values) != len(set(values)):
                raise ValidationError({"options": ["Option values must be unique."]})
        elif options is not None:
            raise ValidationError({"options": [f"A {qtype} question has no options."]})
        if qtype not in RANGED_TYPES and ("min" in data or "max" in data):
            raise ValidationError({"min": [f"A {qtype} question has no min or max."]})
        if qtype == "scale" and ("min" not in data or "max" not in data):
            raise ValidationError({"max": ["A numbered scale needs a min and a max."]})
        if "min" in data and "max" in data and data["min"] >= data["max"]:
            raise ValidationError({"max": ["max must be greater than min."]})
        if qtype == "scale" and not (
            float(data["min"]).is_integer()
            and float(data["max"]).is_integer()
            and data["max"] - data["min"] <= 10
        ):
            raise ValidationError(
                {"max": ["A numbered scale runs between whole numbers, at most 11 points."]}
            )


class SectionSchema(StrictSchema):
    id = _key(required=True)
    title = name_field(200, required=True)
    description = name_field(2000)
    repeat = one_of(
        ("per_stop", "per_pupil"),
        metadata={
            "description": "Answered once per learning-walk stop or per pupil, in the entry core"
        },
    )
    questions = fields.List(
        fields.Nested(QuestionSchema), required=True, validate=validate.Length(min=1, max=100)
    )


class DefinitionBody(StrictSchema):
    """What a school sends for a template version; the kind-specific lists are all optional."""

    title = name_field(200, required=True)
    description = name_field(2000)
    sections = fields.List(
        fields.Nested(SectionSchema), required=True, validate=validate.Length(min=1, max=30)
    )
    # Learning walk header lists (FORMS.md §1).
    purposes, walker_roles, stop_contexts, evidence_types = (
        _options(),
        _options(),
        _options(),
        _options(),
    )
    standards = fields.Dict(
        keys=fields.String(validate=Pattern(r"^(IP|BR|CL|EE)\d+$")), values=name_field(2000)
    )
    # Pupil voice (FORMS.md §3).
    age_band, ages = _key(), name_field(20)
    scale = one_of(("faces3", "faces5", "rag", "scale", "choice"))
    modes, contexts = _options(), _options()
    extras = fields.List(one_of(("comment", "drawing", "photo")))
    principles = fields.List(name_field(500))
    # Structured conversation (FORMS.md §4) and session record (FORMS.md §2).
    attendee_roles, pupil_participation, musts, attendance = (
        _options(),
        _options(),
        _options(),
        _options(),
    )
    guidance = fields.List(name_field(500))
    target_seconds = fields.Integer(validate=validate.Range(min=1, max=600))

    @validates_schema
    def unique_ids(self, data, **kwargs):
        sections = data.get("sections") or []
        for label, ids in (
            ("Section", [s["id"] for s in sections]),
            ("Question", [q["id"] for s in sections for q in s["questions"]]),
        ):
            twice = sorted({i for i in ids if ids.count(i) > 1})
            if twice:
                raise ValidationError(
                    {"sections": [f"{label} id {i!r} is used more than once." for i in twice]}
                )
        problems = _condition_problems(sections)
        if problems:
            raise ValidationError({"sections": problems})


def _condition_problems(sections: list[dict]) -> list[str]:
    """A show_if names an earlier question answered once in the answers (not per stop or pupil,
    not kept in the core), with a set of answers, and only values it can have. A follow-up to a
    safeguarding question is tagged safeguarding too: readers who may not see the first answer
    must not see the second (sync/entry_view.py withholds both together)."""
    problems, earlier = [], {}
    for section in sections:
        for question in section["questions"]:
            condition, qid = question.get("show_if"), question["id"]
            once = "repeat" not in section and "core" not in question
            if condition is not None:
                named = earlier.get(condition["question"])
                if not once:
                    problems.append(
                        f"Question {qid!r}: a question answered per stop or per pupil, or kept "
                        "in the entry core, cannot have a show_if."
                    )
                elif named is None:
                    problems.append(
                        f"Question {qid!r}: show_if names {condition['question']!r}, which must be "
                        "an earlier question of this template, answered once (not per stop or "
                        "pupil, not kept in the entry core)."
                    )
                elif named["type"] not in CONDITION_TYPES:
                    problems.append(
                        f"Question {qid!r}: show_if can only name a question with set answers "
                        f"({', '.join(CONDITION_TYPES)}); {condition['question']!r} is "
                        f"{named['type']}."
                    )
                else:
                    problems += [
                        f"Question {qid!r}: show_if value {value!r} is not an answer to "
                        f"{condition['question']!r} ({problem})"
                        for value in condition["in"]
                        if (problem := condition_value_problem(named, value))
                    ]
                    if SAFEGUARDING_TAG in named.get("tags", []) and SAFEGUARDING_TAG not in (
                        question.get("tags") or []
                    ):
                        problems.append(
                            f"Question {qid!r} follows the safeguarding question "
                            f"{condition['question']!r}: tag it {SAFEGUARDING_TAG!r} too."
                        )
            if once:
                earlier[qid] = question
    return problems


class DefinitionSchema(DefinitionBody):
    """A whole definition as stored: a built-in file, or a school's row."""

    id = fields.String(required=True, validate=[validate.Length(max=64), SLUG])
    version = fields.Integer(required=True, validate=validate.Range(min=1))
    kind = one_of(ENTRY_KINDS, required=True)
    source = name_field(2000)


class TemplateCreateSchema(DefinitionBody):
    template_id = fields.String(required=True, validate=[validate.Length(max=64), SLUG])
    kind = one_of(ENTRY_KINDS, required=True)


class TemplateVersionSchema(DefinitionBody):
    """A new version keeps the id and kind: entries already filled from it must still fit."""


class TemplateOutSchema(StrictSchema):
    template_id = fields.String()
    version = fields.Integer()
    kind = fields.String()
    title = fields.String()
    builtin = fields.Boolean()
    versions = fields.List(fields.Integer())
    created_at = Moment(allow_none=True)
    definition = fields.Dict()


@cache
def builtin_templates() -> dict[str, dict]:
    """Every schemas/forms/*.json form by id, validated once. Callers must not mutate them."""
    found = {}
    for path in sorted(FORMS_DIR.glob("*.json")):
        if path.name == "scales.json":
            continue
        try:
            definition = DefinitionSchema().load(json.loads(path.read_text(encoding="utf-8")))
        except ValidationError as err:
            raise ValueError(f"Built-in template {path.name} is invalid: {err.messages}") from err
        if definition["id"] != path.stem:
            raise ValueError(
                f"{path.name} declares id {definition['id']!r}; the file name must match."
            )
        found[definition["id"]] = definition
    return found


@cache
def scales() -> dict:
    """The shared words, shapes and colours (FORMS.md §6), for the PWA and for reports."""
    return json.loads((FORMS_DIR / "scales.json").read_text(encoding="utf-8"))


def all_questions(definition: dict) -> list[dict]:
    return [q for section in definition.get("sections", []) for q in section.get("questions", [])]


def safeguarding_question_ids(definition: dict) -> list[str]:
    """Questions whose worried or not-safe answers go to the safeguarding lead."""
    return [q["id"] for q in all_questions(definition) if SAFEGUARDING_TAG in q.get("tags", [])]
