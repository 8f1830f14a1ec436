"""Safeguarding concerns on the wire: what the SENCO and DSLs read, and the actions they record.

The action list is what a designated safeguarding lead writes in a school's own records ("spoke
to the pupil", "referred to children's social care", "no further action"); the words travel to
the app in pwa/js/limits.js (schemas/client_limits.py), so there is one list, here.
"""

from marshmallow import ValidationError, fields, validate, validates_schema

from schemas.base import StrictSchema, one_of
from schemas.dates import Moment

ACTIONS = {
    "spoke_to_pupil": "Spoke to the pupil",
    "spoke_to_parent": "Spoke to the parent or carer",
    "told_staff": "Told staff who need to know",
    "consulted_dsl": "Talked it through with another safeguarding lead",
    "early_help": "Referred to early help",
    "social_care": "Referred to children's social care",
    "police": "Contacted the police",
    "monitoring": "Agreed to monitor and check in",
    "recorded_elsewhere": "Recorded on the school's safeguarding system",
    "no_further_action": "No further action",
    "other": "Something else",
}
# A decision that ends the matter, or an action with no name, must say why in the note.
NOTE_NEEDED = ("no_further_action", "other")
NOTE_MAX = 5000
NOTE_NEEDED_MESSAGE = "Say in the note what was done and why."
TOO_LONG = "At most {max} characters."
CLOSE_NEEDS = "Record what was done (an action or a note) before closing the concern."


class ConcernActionInSchema(StrictSchema):
    action = one_of(ACTIONS, required=True)
    note = fields.String(allow_none=True, validate=validate.Length(max=NOTE_MAX, error=TOO_LONG))

    @validates_schema
    def note_when_needed(self, data, **kwargs):
        if data.get("action") in NOTE_NEEDED and not (data.get("note") or "").strip():
            raise ValidationError({"note": [NOTE_NEEDED_MESSAGE]})


class ConcernActionSchema(StrictSchema):
    id = fields.Integer()
    action = fields.String()
    words = fields.String(metadata={"description": "The action as the app shows it"})
    note = fields.String(allow_none=True)
    taken_by = fields.String(allow_none=True, metadata={"description": "Who recorded it"})
    taken_at = Moment()


class ContextLineSchema(StrictSchema):
    question = fields.String()
    answer = fields.String()
    raised = fields.Boolean(metadata={"description": "This answer raised the concern"})


class ConcernOutSchema(StrictSchema):
    id = fields.Integer()
    pupil_id = fields.Integer()
    pupil_name = fields.String()
    year_group = fields.String(allow_none=True)
    entry_id = fields.String(allow_none=True)
    entry_kind = fields.String(allow_none=True)
    entry_date = fields.Date(allow_none=True)
    recorded_by = fields.String(allow_none=True)
    reason = fields.String()
    headline = fields.String(metadata={"description": "One line in words for a list"})
    status = fields.String()
    raised_at = Moment()
    handled_by = fields.Integer(allow_none=True)
    handled_at = Moment(allow_none=True)
    notes = fields.String(allow_none=True)
    actions = fields.List(fields.Nested(ConcernActionSchema))
    context = fields.List(
        fields.Nested(ContextLineSchema),
        metadata={"description": "One concern only: the entry's questions and answers"},
    )
    context_note = fields.String(
        allow_none=True, metadata={"description": "The staff member's note, for a flag"}
    )


class ConcernPatchSchema(StrictSchema):
    status = one_of(("open", "closed"))
    notes = fields.String(allow_none=True, validate=validate.Length(max=NOTE_MAX, error=TOO_LONG))


class ConcernQuerySchema(StrictSchema):
    status = one_of(("open", "closed"))


class ConcernSummarySchema(StrictSchema):
    open = fields.Integer()
    waiting_over_a_day = fields.Integer(
        metadata={"description": "Open concerns raised more than 24 hours ago"}
    )
    oldest_open_raised_at = Moment(allow_none=True)
