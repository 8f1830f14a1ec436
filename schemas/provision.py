"""The intervention catalogue, groups and enrolments on the wire."""

from datetime import timedelta

from marshmallow import fields, validate

from schemas.base import Id, Pattern, StrictSchema, name_field, one_of, pence, ref
from schemas.codes import BROAD_AREAS, FUNDING_SOURCES, MEASURE_TYPES
from schemas.measures import measure_errors

# Groups overrun and start a little early (a missed week made up, a taster session), so a
# session up to two weeks either side of the planned run is believable; beyond that it is
# far more likely a wrong date or a wrong group. The PWA offers groups by the same rule.
SESSION_RUN_MARGIN = timedelta(days=14)


class InterventionSchema(StrictSchema):
    id = Id
    name = name_field(120, required=True)
    area_of_need = one_of(BROAD_AREAS, required=True)
    description = fields.String(allow_none=True, validate=validate.Length(max=5000))
    evidence_note = fields.String(allow_none=True, validate=validate.Length(max=5000))
    measure_type = one_of(MEASURE_TYPES, required=True)
    entry_criteria = fields.String(allow_none=True, validate=validate.Length(max=2000))
    exit_criteria = fields.String(allow_none=True, validate=validate.Length(max=2000))


class GroupSchema(StrictSchema):
    id = Id
    intervention_id = ref(required=True)
    name = name_field(120, required=True)
    sessions_per_week = fields.Integer(required=True, validate=validate.Range(min=1, max=25))
    minutes_per_session = fields.Integer(required=True, validate=validate.Range(min=5, max=300))
    weeks = fields.Integer(required=True, validate=validate.Range(min=1, max=52))
    ratio = fields.String(
        required=True,
        validate=Pattern(r"^\d{1,2}:\d{1,2}$", error="Give the staff:pupil ratio as e.g. 1:6."),
    )
    start_date = fields.Date(required=True)
    review_date = fields.Date(allow_none=True)
    hourly_staff_cost_pence = pence()
    resource_cost_pence = pence()
    funding_source = one_of(FUNDING_SOURCES, required=True)
    location = name_field(120, allow_none=True)
    active = fields.Boolean()
    staff_ids = fields.List(ref(), load_default=list)


class EnrolmentSchema(StrictSchema):
    id = Id
    group_id = ref(required=True)
    pupil_id = ref(required=True)
    joined_on = fields.Date(required=True)
    left_on = fields.Date(allow_none=True)
    entry_data = fields.Dict(allow_none=True)
    exit_data = fields.Dict(allow_none=True)
    target = fields.String(allow_none=True, validate=validate.Length(max=2000))
    success_criteria = fields.String(allow_none=True, validate=validate.Length(max=2000))
    target_review_date = fields.Date(allow_none=True)
    outcome = fields.String(allow_none=True, validate=validate.Length(max=2000))

    @staticmethod
    def measure_errors(data: dict, measure_type: str) -> dict:
        """Entry/exit data must fit the group's measure, which only the caller can look up."""
        return {
            name: errors
            for name in ("entry_data", "exit_data")
            if (errors := measure_errors(measure_type, data.get(name)))
        }
