"""The intervention catalogue, groups and enrolments."""

from flask_smorest import Blueprint, abort
from sqlalchemy import select

from schemas.provision import EnrolmentSchema, GroupSchema, InterventionSchema
from server.api.crud import Resource, apply_with_staff, default_apply, register_crud
from server.extensions import db
from server.models import Enrolment, Group, Intervention, Pupil, Staff
from server.models.scope import visible_enrolment_ids, visible_group_ids
from server.policy import READ_PUPILS

interventions_blp = Blueprint(
    "interventions",
    __name__,
    url_prefix="/api/v1/interventions",
    description="The school's catalogue of interventions.",
)
groups_blp = Blueprint(
    "groups",
    __name__,
    url_prefix="/api/v1/groups",
    description="Groups: one run of an intervention, with staff and schedule.",
)
enrolments_blp = Blueprint(
    "enrolments",
    __name__,
    url_prefix="/api/v1/enrolments",
    description="Pupils in groups, with entry and exit data and targets.",
)


def intervention_in_use(intervention: Intervention) -> str | None:
    if db.session.scalar(select(Group.id).where(Group.intervention_id == intervention.id).limit(1)):
        return "Groups still run this intervention. End or delete those groups first."
    return None


def group_in_use(group: Group) -> str | None:
    if group.enrolments:
        return "This group has pupils enrolled. Set it inactive instead, so its record is kept."
    return None


def apply_enrolment(enrolment: Enrolment, data: dict) -> None:
    """Entry and exit data are typed by the intervention's measure: 422 when they do not fit."""
    group = db.session.get(Group, data.get("group_id", enrolment.group_id))
    errors = EnrolmentSchema.measure_errors(data, group.intervention.measure_type) if group else {}
    if errors:
        abort(422, errors=errors, message="Entry or exit data does not fit the measure.")
    default_apply(enrolment, data)


register_crud(
    interventions_blp,
    Resource(
        model=Intervention,
        schema=InterventionSchema,
        noun="intervention",
        unique=("name",),
        can_delete=intervention_in_use,
        order_by=(Intervention.name,),
    ),
)
register_crud(
    groups_blp,
    Resource(
        model=Group,
        schema=GroupSchema,
        noun="group",
        visible_ids=visible_group_ids,
        refs={"intervention_id": Intervention, "staff_ids": Staff},
        apply=apply_with_staff("staff_ids", "staff"),
        can_delete=group_in_use,
        order_by=(Group.name,),
    ),
)
register_crud(
    enrolments_blp,
    Resource(
        model=Enrolment,
        schema=EnrolmentSchema,
        noun="enrolment",
        read=READ_PUPILS,
        visible_ids=visible_enrolment_ids,
        refs={"group_id": Group, "pupil_id": Pupil},
        order_by=(Enrolment.group_id,),
        apply=apply_enrolment,
    ),
)
