"""Passport edit conflicts: the SENCO sees both values and chooses. Nothing is overwritten silently."""

from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import RAISE
from sqlalchemy import select

from schemas.passport import ConflictQuerySchema, ConflictSchema, ResolveSchema
from server.extensions import db
from server.models import PassportConflict
from server.policy import RESOLVE_CONFLICTS, require
from sync.passport import resolve_conflict

blp = Blueprint(
    "passport_conflicts",
    __name__,
    url_prefix="/api/v1/passport-conflicts",
    description="Stale passport edits waiting for the SENCO.",
)


@blp.route("/")
class Conflicts(MethodView):
    @blp.arguments(ConflictQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, ConflictSchema(many=True))
    def get(self, args):
        """Conflicts in this school, oldest first."""
        staff = require(RESOLVE_CONFLICTS)
        query = select(PassportConflict).where(
            PassportConflict.school_id == staff.school_id,
            PassportConflict.status == args["status"],
        )
        if "pupil_id" in args:
            query = query.where(PassportConflict.pupil_id == args["pupil_id"])
        return db.session.scalars(query.order_by(PassportConflict.id)).all()


@blp.route("/<int:conflict_id>/resolve")
class Resolve(MethodView):
    @blp.arguments(ResolveSchema)
    @blp.response(200, ConflictSchema)
    def post(self, data, conflict_id):
        """Keep the current value, take the proposed one, or write a custom value."""
        staff = require(RESOLVE_CONFLICTS)
        conflict = db.session.get(PassportConflict, conflict_id)
        if conflict is None or conflict.school_id != staff.school_id:
            abort(404, message=f"No passport conflict with id {conflict_id}.")
        if conflict.status != "open":
            abort(409, message="This conflict was already resolved.")
        resolve_conflict(db.session, staff, conflict, data["choice"], data.get("value"))
        db.session.commit()
        return conflict
