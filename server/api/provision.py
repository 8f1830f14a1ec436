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


def apply_intervention(intervention: Intervention, data: dict) -> None:
    """A measure cannot change under data already typed by it: the steps would mean nothing."""
    new = data.get("measure_type")
    if intervention.id and new and new != intervention.measure_type and _has_measures(intervention):
        abort(
            409,
            errors={
                "measure_type": [
                    "Pupils already have entry or exit data on this measure. Keep it, or set "
                    "up a new intervention for the other measure."
                ]
            },
            message="The measure is in use.",
        )
    default_apply(intervention, data)


def _has_measures(intervention: Intervention) -> bool:
    # Read in Python: a JSON column holds None as SQL NULL or as JSON null, depending on how
    # the row was written.
    rows = db.session.execute(
        select(Enrolment.entry_data, Enrolment.exit_data)
        .join(Group, Group.id == Enrolment.group_id)
        .where(Group.intervention_id == intervention.id)
    )
    return any(entry or exit_ for entry, exit_ in rows)


def group_in_use(group: Group) -> str | None:
    if group.enrolments:
        return "This group has pupils enrolled. Set it inactive instead, so its record is kept."
    return None


def _as_saved(obj, data: dict, schema) -> dict:
    """The record as this write would leave it: a PATCH names only the fields it changes."""
    names = [n for n, f in schema().fields.items() if not f.dump_only]
    return {n: getattr(obj, n, None) for n in names} | data


def apply_group(group: Group, data: dict) -> None:
    """Days, sessions a week and dates must agree; reopening a group clears its end date."""
    errors = GroupSchema.plan_errors(_as_saved(group, data, GroupSchema))
    if errors:
        abort(422, errors=errors, message="The group's plan does not add up.")
    if data.get("active") is True:
        group.ended_on = None
    apply_with_staff("staff_ids", "staff")(group, data)


def apply_enrolment(enrolment: Enrolment, data: dict) -> None:
    """Entry and exit data are typed by the intervention's measure: 422 when they do not fit."""
    values = _as_saved(enrolment, data, EnrolmentSchema)
    group = db.session.get(Group, values["group_id"]) if values["group_id"] else None
    errors = EnrolmentSchema.measure_errors(data, group.intervention.measure_type) if group else {}
    errors |= EnrolmentSchema.plan_errors(values)
    if group and enrolment.id is None and not group.active:
        errors["group_id"] = ["This group has ended: pupils can no longer join it."]
    if errors:
        abort(422, errors=errors, message="Please check the enrolment.")
    _refuse_second_place(enrolment, values)
    default_apply(enrolment, data)


def _refuse_second_place(enrolment: Enrolment, values: dict) -> None:
    """One place per pupil per group (a unique key): say so next to the pupil, not as a clash."""
    taken = db.session.scalar(
        select(Enrolment.id).where(
            Enrolment.group_id == values["group_id"],
            Enrolment.pupil_id == values["pupil_id"],
            Enrolment.id != (enrolment.id or 0),
        )
    )
    if taken:
        abort(
            409,
            errors={"pupil_id": ["This pupil is already in this group."]},
            message="This pupil is already in this group.",
        )


register_crud(
    interventions_blp,
    Resource(
        model=Intervention,
        schema=InterventionSchema,
        noun="intervention",
        unique=("name",),
        apply=apply_intervention,
        can_delete=intervention_in_use,
        order_by=(Intervention.name,),
    ),
)
GROUPS = Resource(
    model=Group,
    schema=GroupSchema,
    noun="group",
    visible_ids=visible_group_ids,
    refs={"intervention_id": Intervention, "staff_ids": Staff},
    apply=apply_group,
    can_delete=group_in_use,
    order_by=(Group.name,),
)
register_crud(groups_blp, GROUPS)
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
