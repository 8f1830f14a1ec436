"""The pupil passport / one-page profile fields (FORMS.md §5), and passport conflicts on the wire."""

from marshmallow import ValidationError, fields, validate, validates_schema

from schemas.base import StrictSchema, one_of

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
    raised_at = fields.DateTime()
    resolution = fields.Dict(allow_none=True)


class ConflictQuerySchema(StrictSchema):
    status = one_of(("open", "resolved"), load_default="open")


class ResolveSchema(StrictSchema):
    choice = one_of(("current", "proposed", "custom"), required=True)
    value = fields.String(validate=validate.Length(max=2000))

    @validates_schema
    def custom_needs_value(self, data, **kwargs):
        if data.get("choice") == "custom" and not data.get("value"):
            raise ValidationError({"value": ["Give the value to keep when choosing custom."]})
