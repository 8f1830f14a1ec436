"""Passport edit conflicts: the SENCO sees both values and chooses. Nothing is overwritten silently."""
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import RAISE, ValidationError, fields, validate, validates_schema
from sqlalchemy import select

from schemas.base import StrictSchema, one_of
from server.api.crud import require_role
from server.extensions import db
from server.models import PassportConflict
from sync.passport import resolve_conflict

blp = Blueprint("passport_conflicts", __name__, url_prefix="/api/v1/passport-conflicts",
                description="Stale passport edits waiting for the SENCO.")


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


@blp.route("/")
class Conflicts(MethodView):
    @blp.arguments(ConflictQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, ConflictSchema(many=True))
    def get(self, args):
        """Conflicts in this school, oldest first."""
        staff = require_role(("senco",))
        return db.session.scalars(select(PassportConflict).where(
            PassportConflict.school_id == staff.school_id,
            PassportConflict.status == args["status"]).order_by(PassportConflict.id)).all()


@blp.route("/<int:conflict_id>/resolve")
class Resolve(MethodView):
    @blp.arguments(ResolveSchema)
    @blp.response(200, ConflictSchema)
    def post(self, data, conflict_id):
        """Keep the current value, take the proposed one, or write a custom value."""
        staff = require_role(("senco",))
        conflict = db.session.get(PassportConflict, conflict_id)
        if conflict is None or conflict.school_id != staff.school_id:
            abort(404, message=f"No passport conflict with id {conflict_id}.")
        if conflict.status != "open":
            abort(409, message="This conflict was already resolved.")
        resolve_conflict(db.session, staff, conflict, data["choice"], data.get("value"))
        db.session.commit()
        return conflict
