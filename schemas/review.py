"""Review prompts on the wire, and what staff decide about one: done, snoozed until a day, or
not needed with a reason. The limits reach the app through pwa/js/limits.js
(schemas/client_limits.py)."""

from datetime import timedelta

from marshmallow import ValidationError, fields, validate, validates_schema

from schemas.base import StrictSchema, one_of
from schemas.dates import Moment
from schemas.sen import today_in_london

DECISIONS = ("done", "snoozed", "not_needed")
SNOOZE_MAX_DAYS = 366  # a snooze longer than a school year is a "not needed"
REASON_MAX = 1000
TOO_LONG = "At most {max} characters."
SNOOZE_FUTURE = "Choose a day after today."
SNOOZE_TOO_FAR = "Choose a day within a year; for longer, say why it is not needed."
REASON_NEEDED = "Say why it is not needed."


class DecisionInSchema(StrictSchema):
    key = fields.String(
        required=True,
        validate=validate.Length(min=1, max=200),
        metadata={"description": "The prompt's key, from GET /reviews/due"},
    )
    decision = one_of(DECISIONS, required=True)
    until = fields.Date(metadata={"description": "Snoozed until this day (required to snooze)"})
    reason = fields.String(validate=validate.Length(max=REASON_MAX, error=TOO_LONG))

    @validates_schema
    def fits_the_decision(self, data, **kwargs):
        decision = data.get("decision")
        if decision == "snoozed":
            until, today = data.get("until"), today_in_london()
            if until is None or until <= today:
                raise ValidationError({"until": [SNOOZE_FUTURE]})
            if until > today + timedelta(days=SNOOZE_MAX_DAYS):
                raise ValidationError({"until": [SNOOZE_TOO_FAR]})
        elif "until" in data:
            raise ValidationError({"until": ["Only a snooze has a day to come back."]})
        if decision == "not_needed" and not (data.get("reason") or "").strip():
            raise ValidationError({"reason": [REASON_NEEDED]})


class DecisionSchema(StrictSchema):
    id = fields.Integer()
    decision = fields.String()
    until = fields.Date(allow_none=True)
    reason = fields.String(allow_none=True)
    decided_by = fields.String(allow_none=True, metadata={"description": "Who decided, by name"})
    decided_at = Moment()
