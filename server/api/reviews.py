"""Review prompts: what is due for the groups and pupils the user works with (DESIGN §6)."""

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE, fields

from schemas.base import StrictSchema
from schemas.sen import today_in_london
from server.extensions import db
from server.policy import CAPTURE, require
from sync.reviews import due_prompts

blp = Blueprint(
    "reviews",
    __name__,
    url_prefix="/api/v1/reviews",
    description="Review prompts: overdue reviews, exit criteria met, low attendance, "
    "parent acknowledgements, EHCP annual reviews.",
)

KINDS = (
    "group_review_overdue",
    "target_review_due",
    "exit_criteria_met",
    "low_attendance",
    "parent_ack_outstanding",
    "ehcp_annual_review_due",
    "few_parent_conversations",
    "sen_differs_from_mis",
)


class DueQuerySchema(StrictSchema):
    today = fields.Date(
        metadata={
            "description": "Work out what is due as on this date "
            "(YYYY-MM-DD); defaults to today in Europe/London. "
            "For planning ahead and for tests."
        }
    )


class PromptSchema(StrictSchema):
    kind = fields.String(metadata={"description": " | ".join(KINDS)})
    due_date = fields.Date()
    pupil_id = fields.Integer(allow_none=True)
    group_id = fields.Integer(allow_none=True)
    title = fields.String()
    detail = fields.String()
    link = fields.String(metadata={"description": "API path of the record to act on"})


@blp.route("/due")
class Due(MethodView):
    @blp.arguments(DueQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, PromptSchema(many=True))
    def get(self, args):
        """Prompts in your scope, soonest first: the SENCO sees the whole school, a teacher their
        pupils, a TA their groups and the pupils in them."""
        staff = require(CAPTURE)
        return due_prompts(db.session, staff, args.get("today") or today_in_london())
