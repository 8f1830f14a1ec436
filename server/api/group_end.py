"""POST /api/v1/groups/<id>/end: the SENCO ends a group. In one transaction the group stops
(inactive, with its end date) and every pupil still in it leaves on that day, so no session
record can be filed for it afterwards (a record names only pupils enrolled on its date) and
the review prompts stop asking about it. Outcomes are recorded per pupil, before or after."""

from flask.views import MethodView
from flask_smorest import abort
from marshmallow import fields

from schemas.base import StrictSchema
from schemas.dates import NOT_FUTURE
from schemas.provision import PLAN_DAY, GroupSchema
from server.api.crud import get_visible
from server.api.provision import GROUPS, groups_blp
from server.extensions import db
from server.policy import MANAGE_SCHOOL, require


class EndGroupSchema(StrictSchema):
    ended_on = fields.Date(required=True, validate=[PLAN_DAY, NOT_FUTURE])


def _long(day) -> str:
    return f"{day.day} {day:%B %Y}"


@groups_blp.route("/<int:item_id>/end")
class EndGroup(MethodView):
    @groups_blp.arguments(EndGroupSchema)
    @groups_blp.response(200, GroupSchema)
    @groups_blp.doc(summary="End a group: it stops, and pupils still in it leave on that day")
    def post(self, data, item_id):
        staff = require(MANAGE_SCHOOL)
        group = get_visible(GROUPS, item_id, staff)
        ended_on = data["ended_on"]
        if not group.active:
            when = f" on {_long(group.ended_on)}" if group.ended_on else ""
            abort(409, message=f"This group has already ended{when}.")
        if ended_on < group.start_date:
            abort(
                422,
                errors={"ended_on": [f"The group started on {_long(group.start_date)}."]},
                message="A group cannot end before it starts.",
            )
        group.active, group.ended_on = False, ended_on
        for enrolment in group.enrolments:
            if enrolment.left_on is None:
                enrolment.left_on = max(ended_on, enrolment.joined_on)
        db.session.commit()
        return group
