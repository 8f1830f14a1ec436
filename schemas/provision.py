"""The intervention catalogue, groups and enrolments on the wire."""

from datetime import date, timedelta

from marshmallow import ValidationError, fields, validate

from schemas.base import Id, Pattern, StrictSchema, name_field, one_of, pence, ref
from schemas.codes import BROAD_AREAS, FUNDING_SOURCES, MEASURE_TYPES, OUTCOMES, WEEKDAYS
from schemas.measures import measure_errors

# Groups overrun and start a little early (a missed week made up, a taster session), so a
# session up to two weeks either side of the planned run is believable; beyond that it is
# far more likely a wrong date or a wrong group. The PWA offers groups by the same rule.
SESSION_RUN_MARGIN = timedelta(days=14)

# A typed year (2206 for 2026) files a group where no report looks; the app checks the same.
PLAN_DAY = validate.Range(
    min=date(2000, 1, 1), max=date(2099, 12, 31), error="Must be a date from 2000 to 2099."
)


def _distinct(values):
    if values is not None and len(values) != len(set(values)):
        raise ValidationError("Each day may appear only once.")


class InterventionSchema(StrictSchema):
    id = Id
    name = name_field(120, required=True)
    area_of_need = one_of(BROAD_AREAS, required=True)
    description = fields.String(allow_none=True, validate=validate.Length(max=5000))
    evidence_note = fields.String(allow_none=True, validate=validate.Length(max=5000))
    measure_type = one_of(MEASURE_TYPES, required=True)
    entry_criteria = fields.String(allow_none=True, validate=validate.Length(max=2000))
    exit_criteria = fields.String(allow_none=True, validate=validate.Length(max=2000))
    default_hourly_staff_cost_pence = pence(allow_none=True)
    default_resource_cost_pence = pence(allow_none=True)


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
    start_date = fields.Date(required=True, validate=PLAN_DAY)
    review_date = fields.Date(allow_none=True, validate=PLAN_DAY)
    hourly_staff_cost_pence = pence()
    resource_cost_pence = pence()
    funding_source = one_of(FUNDING_SOURCES, required=True)
    location = name_field(120, allow_none=True)
    days = fields.List(
        one_of(WEEKDAYS), allow_none=True, validate=[validate.Length(min=1, max=5), _distinct]
    )
    active = fields.Boolean()
    ended_on = fields.Date(
        dump_only=True, allow_none=True, metadata={"description": "Set by POST .../end"}
    )
    staff_ids = fields.List(ref(), load_default=list)

    @staticmethod
    def plan_errors(values: dict) -> dict:
        """Rules across fields, on the group as it would be saved (a PATCH names only some)."""
        errors = {}
        days, per_week = values.get("days"), values.get("sessions_per_week")
        if days and per_week is not None and len(days) != per_week:
            errors["days"] = [
                f"Choose {per_week} day{'s' if per_week != 1 else ''}, one for each session "
                "a week, or change the sessions a week."
            ]
        start, review = values.get("start_date"), values.get("review_date")
        if start and review and review <= start:
            errors["review_date"] = ["The review must come after the start date."]
        return errors


class EnrolmentSchema(StrictSchema):
    id = Id
    group_id = ref(required=True)
    pupil_id = ref(required=True)
    joined_on = fields.Date(required=True, validate=PLAN_DAY)
    left_on = fields.Date(allow_none=True, validate=PLAN_DAY)
    entry_data = fields.Dict(allow_none=True)
    exit_data = fields.Dict(allow_none=True)
    target = fields.String(allow_none=True, validate=validate.Length(max=2000))
    success_criteria = fields.String(allow_none=True, validate=validate.Length(max=2000))
    target_review_date = fields.Date(allow_none=True, validate=PLAN_DAY)
    outcome_status = one_of(OUTCOMES, allow_none=True)
    outcome = fields.String(allow_none=True, validate=validate.Length(max=2000))

    @staticmethod
    def plan_errors(values: dict) -> dict:
        """Rules across fields, on the enrolment as it would be saved."""
        errors = {}
        joined, left = values.get("joined_on"), values.get("left_on")
        if joined and left and left < joined:
            errors["left_on"] = ["The pupil cannot leave before the day they joined."]
        review = values.get("target_review_date")
        if joined and review and review <= joined:
            errors["target_review_date"] = ["The review must come after the day they joined."]
        if values.get("outcome_status") and not left:
            errors["left_on"] = ["Give the day the pupil left the group with the outcome."]
        return errors

    @staticmethod
    def measure_errors(data: dict, measure_type: str) -> dict:
        """Entry/exit data must fit the group's measure, which only the caller can look up."""
        return {
            name: errors
            for name in ("entry_data", "exit_data")
            if (errors := measure_errors(measure_type, data.get(name)))
        }
