"""Entries and sync ops on the wire: the typed core fields the merge reads, per entry kind."""

from marshmallow import ValidationError, fields, validate, validates_schema

from schemas.base import Pattern, StrictSchema, one_of
from schemas.dates import RECENT_TIME, SCHOOL_DAY, Moment

SHA256 = fields.String(validate=Pattern(r"^[0-9a-f]{64}$", error="Not a sha256 hex digest."))
SHORT = validate.Length(max=500)
LONG = validate.Length(max=5000)
ENTRY_KINDS = ("learning_walk", "session_record", "pupil_voice", "conversation")
KIND_WORDS = {
    "learning_walk": "learning walks",
    "session_record": "session records",
    "pupil_voice": "pupil voice",
    "conversation": "conversations with parents",
}
ATTENDANCE = ("present", "absent", "late")
MAX_SEQ = 2**31 - 1
VOICE_MODES = ("independent", "supported", "proxy")
VOICE_CONTEXTS = (
    "intervention_review",
    "termly_review",
    "annual_review",
    "learning_walk",
    "passport_update",
    "everyday",
)
RAG = ("red", "amber", "green")


class CoreBase(StrictSchema):
    date = fields.Date(
        required=True, validate=SCHOOL_DAY, metadata={"description": "School day, Europe/London"}
    )
    attachments = fields.List(SHA256, load_default=list, validate=validate.Length(max=20))
    flagged_concern = fields.Boolean(load_default=False)
    concern_note = fields.String(allow_none=True, validate=LONG)
    concern_pupil_id = fields.Integer(
        allow_none=True,
        metadata={"description": "Which pupil a flag is about; required on a learning walk"},
    )


class AttendanceSchema(StrictSchema):
    pupil_id = fields.Integer(required=True)
    status = one_of(ATTENDANCE, required=True)
    absence_reason = fields.String(allow_none=True, validate=SHORT)
    engagement = fields.Integer(allow_none=True, validate=validate.Range(min=1, max=5))
    step = fields.String(allow_none=True, validate=SHORT)
    score = fields.Float(allow_none=True)
    note = fields.String(allow_none=True, validate=LONG)


class SessionRecordCore(CoreBase):
    group_id = fields.Integer(required=True)
    start_time = fields.Time(allow_none=True)
    minutes_delivered = fields.Integer(required=True, validate=validate.Range(min=0, max=300))
    location = fields.String(allow_none=True, validate=SHORT)
    withdrawn_from = fields.String(allow_none=True, validate=SHORT)
    delivered_as_planned = fields.Boolean(required=True)
    changes_made = fields.String(allow_none=True, validate=LONG)
    attendance = fields.List(
        fields.Nested(AttendanceSchema), required=True, validate=validate.Length(min=1, max=40)
    )
    feedback_to_teacher = fields.String(allow_none=True, validate=LONG)

    @validates_schema
    def explain_changes(self, data, **kwargs):
        if data.get("delivered_as_planned") is False and not data.get("changes_made"):
            raise ValidationError(
                {"changes_made": ["Say what changed when a session was not delivered as planned."]}
            )
        pupils = [row["pupil_id"] for row in data.get("attendance", [])]
        if len(pupils) != len(set(pupils)):
            raise ValidationError({"attendance": ["Each pupil may appear only once."]})


class PupilVoiceCore(CoreBase):
    pupil_id = fields.Integer(required=True)
    mode = one_of(VOICE_MODES, required=True)
    supported_by = fields.String(allow_none=True, validate=SHORT)
    context = one_of(VOICE_CONTEXTS, required=True)
    group_id = fields.Integer(allow_none=True)
    partial = fields.Boolean(
        truthy={True},
        falsy={False},
        metadata={
            "description": "Pupil mode was left half-way and staff kept the answers given so "
            "far: questions still to come may be unanswered, even required ones"
        },
    )


class PersonSchema(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    role = fields.String(required=True, validate=validate.Length(min=1, max=100))
    staff_id = fields.Integer(allow_none=True)


class ActionSchema(StrictSchema):
    action = fields.String(required=True, validate=validate.Length(min=1, max=1000))
    owner = fields.String(required=True, validate=validate.Length(min=1, max=200))
    due_date = fields.Date(allow_none=True)


class TargetSchema(StrictSchema):
    wording = fields.String(required=True, validate=validate.Length(min=1, max=1000))
    success_criteria = fields.String(allow_none=True, validate=LONG)
    review_date = fields.Date(allow_none=True)


class ConversationCore(CoreBase):
    pupil_id = fields.Integer(required=True)
    attendees = fields.List(
        fields.Nested(PersonSchema), required=True, validate=validate.Length(min=1, max=12)
    )
    pupil_participation = one_of(
        ("present", "present_for_part", "views_beforehand", "not_involved"),
        load_default="not_involved",
    )
    pupil_voice_entry_id = fields.UUID(allow_none=True)
    targets = fields.List(fields.Nested(TargetSchema), load_default=list)
    actions = fields.List(fields.Nested(ActionSchema), load_default=list)
    keep_in_touch = fields.String(allow_none=True, validate=LONG)
    next_meeting = fields.Date(allow_none=True)
    duration_minutes = fields.Integer(allow_none=True, validate=validate.Range(min=1, max=600))
    staff_informed_at = Moment(allow_none=True)
    confirmed_with_parent_at = Moment(allow_none=True)
    parent_acknowledged = fields.Boolean(load_default=False)
    parent_comments = fields.String(allow_none=True, validate=LONG)


class JudgementSchema(StrictSchema):
    look_for = fields.String(required=True, validate=validate.Length(min=1, max=100))
    rag = one_of(RAG, required=True)
    note = fields.String(allow_none=True, validate=LONG)
    evidence_type = one_of(("observed", "voice", "document"), allow_none=True)
    attachments = fields.List(SHA256, load_default=list)


class StopSchema(StrictSchema):
    class_id = fields.Integer(allow_none=True)
    area = fields.String(allow_none=True, validate=SHORT)
    time = fields.Time(allow_none=True)
    context = one_of(("whole_class", "small_group", "one_to_one", "unstructured"), required=True)
    judgements = fields.List(fields.Nested(JudgementSchema), load_default=list)


class LearningWalkCore(CoreBase):
    purposes = fields.List(fields.String(validate=SHORT), load_default=list)
    walkers = fields.List(
        fields.Nested(PersonSchema), required=True, validate=validate.Length(min=1)
    )
    stops = fields.List(fields.Nested(StopSchema), load_default=list)
    strengths = fields.String(allow_none=True, validate=LONG)
    areas_for_development = fields.String(allow_none=True, validate=LONG)
    actions = fields.List(fields.Nested(ActionSchema), load_default=list)

    @validates_schema
    def name_the_pupil(self, data, **kwargs):
        if data.get("flagged_concern") and not data.get("concern_pupil_id"):
            raise ValidationError({"concern_pupil_id": ["Say which pupil the concern is about."]})


CORE_SCHEMAS = {
    "session_record": SessionRecordCore(),
    "pupil_voice": PupilVoiceCore(),
    "conversation": ConversationCore(),
    "learning_walk": LearningWalkCore(),
}


SUBJECT_KINDS = ("pupil_voice", "conversation")  # kinds about one pupil: core.pupil_id


def subject_of(kind: str, core: dict) -> int | None:
    """The one pupil an entry is about, for the kinds that have one."""
    return core.get("pupil_id") if kind in SUBJECT_KINDS else None


def pupils_of(kind: str, core: dict) -> list[int]:
    """The pupils an entry is about, which decides who may write and read it."""
    if kind == "session_record":
        pupils = [row["pupil_id"] for row in core["attendance"]]
    elif kind in SUBJECT_KINDS:
        pupils = [core["pupil_id"]]
    else:
        pupils = []
    named = core.get("concern_pupil_id")
    return pupils + [named] if named and named not in pupils else pupils


class EntryPayload(StrictSchema):
    TEXT_CHECKED_LATER = ("core",)  # by its kind's core schema

    entry_id = fields.UUID(required=True)
    base_rev = fields.Integer(allow_none=True, load_default=None, validate=validate.Range(min=1))
    deleted = fields.Boolean(load_default=False)
    kind = one_of(ENTRY_KINDS, required=True)
    template_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    template_version = fields.Integer(required=True, validate=validate.Range(min=1))
    recorded_at = Moment(required=True, validate=RECENT_TIME)
    core = fields.Dict(required=True)
    answers = fields.Dict(load_default=dict)


class PassportEditPayload(StrictSchema):
    pupil_id = fields.Integer(required=True)
    field = fields.String(required=True)
    value = fields.String(required=True, validate=validate.Length(max=2000))
    base_rev = fields.Integer(required=True, validate=validate.Range(min=0))


class OpSchema(StrictSchema):
    TEXT_CHECKED_LATER = ("entry", "passport_edit")  # by their own schemas

    op_id = fields.UUID(required=True)
    # The column is a 32-bit INTEGER on PostgreSQL: a larger number must be refused, not stored.
    device_seq = fields.Integer(required=True, validate=validate.Range(min=0, max=MAX_SEQ))
    type = one_of(("entry", "passport_edit"), required=True)
    entry = fields.Dict()
    passport_edit = fields.Dict()


NOT_NULL = [
    {"type": "object"},
    {"type": "array", "items": {}},
    {"type": "string"},
    {"type": "number"},
    {"type": "boolean"},
]


class PushSchema(StrictSchema):
    TEXT_CHECKED_LATER = ("ops",)  # op by op, so that a bad op is rejected on its own

    device_id = fields.String(required=True, validate=validate.Length(min=8, max=64))
    ops = fields.List(
        # Any value but null: each op is checked on its own and a bad one comes back "rejected"
        # in a 200, so the document must not promise a 422 for an op of the wrong shape.
        fields.Raw(metadata={"anyOf": NOT_NULL}),
        required=True,
        validate=validate.Length(min=1, max=500),
        metadata={"description": "Ops, oldest first; each is an Op (see OpSchema)"},
    )


class OpResultSchema(StrictSchema):
    op_id = fields.String(allow_none=True)
    status = one_of(("accepted", "duplicate", "conflict", "rejected"))
    entry_id = fields.String()
    rev = fields.Integer()
    conflict_id = fields.Integer()
    pupil_id = fields.Integer(metadata={"description": "Passport edits: the pupil"})
    field = fields.String(metadata={"description": "Passport edits: the field"})
    message = fields.String()
    errors = fields.Dict()


class PushResultSchema(StrictSchema):
    results = fields.List(fields.Nested(OpResultSchema))


class PullQuerySchema(StrictSchema):
    since = fields.String(
        load_default=None,
        allow_none=True,
        metadata={"description": "The cursor from the last page; omit to start"},
    )
    limit = fields.Integer(load_default=500, validate=validate.Range(min=1, max=2000))


class ChangeSchema(StrictSchema):
    seq = fields.Integer()
    type = fields.String()
    id = fields.String()
    deleted = fields.Boolean()
    data = fields.Dict(allow_none=True)


class PullResultSchema(StrictSchema):
    changes = fields.List(fields.Nested(ChangeSchema))
    cursor = fields.String()
    more = fields.Boolean()
    reset = fields.Boolean(metadata={"description": "Scope changed: replace local data with this"})
    entries_from = fields.Date(
        allow_none=True,
        metadata={
            "description": "The first day of the entries this device holds (the school's pull "
            "window, fixed at its first sync); older ones are read online at /api/v1/entries. "
            "null: every entry"
        },
    )
