"""The pupil passport / one-page profile fields (FORMS.md §5), and passport conflicts on the wire."""

from marshmallow import ValidationError, fields, validate, validates_schema

from schemas.base import MAX_ID, StrictSchema, one_of
from schemas.dates import NOT_FUTURE, Moment

# Hand-edited fields, versioned one by one. The "I ..." fields belong to the pupil, co-written
# with staff; "my_parents_think" comes from the parents through structured conversations.
EDITABLE_FIELDS = {
    "i_enjoy": "I enjoy",
    "i_learn_best_when": "I learn best when",
    "i_communicate_by": "I communicate by",
    "to_communicate_with_me": "To communicate with me you need to",
    "what_helps_me": "What helps me",
    "id_like_you_to_know": "I'd like you to know that",
    "i_find_it_difficult_to": "I find it difficult to",
    "my_parents_think": "My parents think that",
    "i_will_support_myself_by": "I will support myself by",
    "others_can_support_me_by": "Others can support me by",
    "my_recent_achievements": "My recent achievements are",
    "access_arrangements": "Access arrangements (extra time, reader, scribe ...)",
    "additional_information": "Additional information",
}

# Assembled from records, never typed in twice.
COMPUTED_FIELDS = {
    "name": "Name",
    "dob": "Date of birth",
    "photo": "Photo (consent)",
    "started_on": "Date started at the school",
    "sen_status": "SEN Support/EHCP, and since when",
    "my_targets": "My targets are",
    "additional_support": "Additional support",
}

STATUSES = ("draft", "agreed")


class ConflictSchema(StrictSchema):
    id = fields.Integer()
    pupil_id = fields.Integer()
    field = fields.String()
    base_rev = fields.Integer()
    current_rev = fields.Integer()
    current_value = fields.String()
    proposed_value = fields.String()
    proposed_by = fields.Integer()
    status = fields.String()
    raised_at = Moment()
    resolution = fields.Dict(allow_none=True)


class ConflictQuerySchema(StrictSchema):
    status = one_of(("open", "resolved"), load_default="open")
    pupil_id = fields.Integer(
        validate=validate.Range(min=1, max=MAX_ID), metadata={"description": "One pupil's only"}
    )


class ResolveSchema(StrictSchema):
    choice = one_of(("current", "proposed", "custom"), required=True)
    value = fields.String(validate=validate.Length(max=2000))

    @validates_schema
    def custom_needs_value(self, data, **kwargs):
        if data.get("choice") == "custom" and not data.get("value"):
            raise ValidationError({"value": ["Give the value to keep when choosing custom."]})


# A field edit or a status change through PATCH /pupils/<id>/passport (server/api/passports.py).
EDIT_KEYS = {"field", "value", "base_rev"}
STATUS_KEYS = {"status", "shared_with_parent_on", "parent_acknowledged_on", "parent_comments"}
VALUE_MAX, COMMENTS_MAX = 2000, 5000
TOO_LONG = "At most {max} characters."


class SuggestionRefSchema(StrictSchema):
    """One suggestion: the answer to one question of one entry."""

    entry_id = fields.String(required=True, validate=validate.Length(min=1, max=36))
    question_id = fields.String(required=True, validate=validate.Length(min=1, max=64))


class PassportPatchSchema(StrictSchema):
    field = one_of(EDITABLE_FIELDS)
    value = fields.String(validate=validate.Length(max=VALUE_MAX, error=TOO_LONG))
    base_rev = fields.Integer(validate=validate.Range(min=0, max=MAX_ID))
    from_suggestion = fields.Nested(
        SuggestionRefSchema,
        metadata={"description": "The suggestion this edit used: it is not offered again"},
    )
    status = one_of(STATUSES)
    shared_with_parent_on = fields.Date(allow_none=True, validate=NOT_FUTURE)
    parent_acknowledged_on = fields.Date(allow_none=True, validate=NOT_FUTURE)
    parent_comments = fields.String(
        allow_none=True, validate=validate.Length(max=COMMENTS_MAX, error=TOO_LONG)
    )

    @validates_schema
    def one_kind_of_change(self, data, **kwargs):
        edit, status = EDIT_KEYS & data.keys(), STATUS_KEYS & data.keys()
        if edit and status:
            raise ValidationError("Send a field edit or a status change, not both.")
        if edit and edit != EDIT_KEYS:
            raise ValidationError(
                {
                    k: ["A field edit needs field, value and base_rev."]
                    for k in sorted(EDIT_KEYS - edit)
                }
            )
        if "from_suggestion" in data and not edit:
            raise ValidationError({"from_suggestion": ["Only a field edit uses a suggestion."]})
        if not edit and not status:
            raise ValidationError("Send {field, value, base_rev} or a status change.")


class DismissSchema(SuggestionRefSchema):
    """Dismiss one suggestion for one field; it stays dismissed on every device."""

    field = one_of(EDITABLE_FIELDS, required=True)
