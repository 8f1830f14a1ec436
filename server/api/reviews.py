"""Review prompts: what is due for the groups and pupils the user works with (DESIGN §6), and
what was decided about each: done, snoozed until a day, or not needed (kept and audited)."""

from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import RAISE, fields

from schemas.base import MAX_ID, StrictSchema
from schemas.review import DecisionInSchema, DecisionSchema
from schemas.sen import today_in_london
from server.extensions import db
from server.models import ReviewDecision
from server.policy import CAPTURE, require
from sync.review_decisions import decide, dump, with_decisions
from sync.reviews import due_prompts

blp = Blueprint(
    "reviews",
    __name__,
    url_prefix="/api/v1/reviews",
    description="Review prompts: overdue reviews, exit criteria met, low attendance, "
    "parent acknowledgements, EHCP annual reviews; and what was decided about each.",
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
    include_decided = fields.Boolean(
        load_default=False,
        metadata={"description": "Also list prompts marked done, snoozed or not needed"},
    )


class PromptSchema(StrictSchema):
    kind = fields.String(metadata={"description": " | ".join(KINDS)})
    key = fields.String(metadata={"description": "Names the prompt when deciding about it"})
    due_date = fields.Date()
    pupil_id = fields.Integer(allow_none=True)
    group_id = fields.Integer(allow_none=True)
    title = fields.String()
    detail = fields.String()
    link = fields.String(metadata={"description": "API path of the record to act on"})
    decision = fields.Nested(DecisionSchema, allow_none=True)


def _prompts(staff, today, everything: bool) -> list[dict]:
    found = due_prompts(db.session, staff, today)
    return with_decisions(db.session, staff.school_id, found, today, everything)


@blp.route("/due")
class Due(MethodView):
    @blp.arguments(DueQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, PromptSchema(many=True))
    def get(self, args):
        """Prompts in your scope, soonest first: the SENCO sees the whole school, a teacher their
        pupils, a TA their groups and the pupils in them. Done, not-needed and snoozed prompts
        are left out until their snooze runs out, unless include_decided."""
        staff = require(CAPTURE)
        return _prompts(staff, args.get("today") or today_in_london(), args["include_decided"])


@blp.route("/decisions")
class Decisions(MethodView):
    @blp.arguments(DecisionInSchema)
    @blp.response(201, DecisionSchema)
    def post(self, data):
        """Mark a prompt done, snooze it until a day, or record why it is not needed. A second
        decision on the same prompt replaces the first (the audit log keeps both)."""
        staff = require(CAPTURE)
        prompt = next(
            (p for p in _prompts(staff, today_in_london(), True) if p["key"] == data["key"]),
            None,
        )
        if prompt is None:
            abort(422, errors={"key": ["No review prompt with this key is due for you now."]})
        row = decide(db.session, staff, prompt, data)
        db.session.commit()
        return dump(db.session, row)


@blp.route("/decisions/<int:decision_id>")
class Decision(MethodView):
    @blp.response(204)
    def delete(self, decision_id):
        """Undo a decision: the prompt is on the list again."""
        staff = require(CAPTURE)
        row = None if decision_id > MAX_ID else db.session.get(ReviewDecision, decision_id)
        keys = (
            {p["key"] for p in _prompts(staff, today_in_london(), True)}
            if row is not None and row.school_id == staff.school_id
            else set()
        )
        if row is None or row.key not in keys:
            abort(404, message=f"No review decision with id {decision_id} of yours.")
        db.session.delete(row)
        db.session.commit()
