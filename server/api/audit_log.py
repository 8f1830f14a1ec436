"""Read the audit log (admin and SENCO). It has no write endpoints: the log is append-only."""
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE, fields, validate
from sqlalchemy import select

from schemas.base import StrictSchema, ref
from server.api.crud import require_role
from server.extensions import db
from server.models import AuditEvent

blp = Blueprint("audit", __name__, url_prefix="/api/v1/audit", description="The audit log.")


class AuditEventSchema(StrictSchema):
    id = fields.Integer()
    actor_id = fields.Integer(allow_none=True)
    device_id = fields.String(allow_none=True)
    action = fields.String()
    resource = fields.String()
    resource_id = fields.String(allow_none=True)
    detail = fields.Dict(allow_none=True)
    at = fields.DateTime()


class AuditQuerySchema(StrictSchema):
    resource = fields.String()
    resource_id = fields.String()
    actor_id = ref()
    before_id = ref(metadata={"description": "Page backwards from this id"})
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))


@blp.route("/")
class AuditEvents(MethodView):
    @blp.arguments(AuditQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, AuditEventSchema(many=True))
    def get(self, args):
        """Newest first. Page with before_id set to the last id you have."""
        staff = require_role(("admin", "senco"))
        query = select(AuditEvent).where(AuditEvent.school_id == staff.school_id)
        for name in ("resource", "resource_id", "actor_id"):
            if name in args:
                query = query.where(getattr(AuditEvent, name) == args[name])
        if "before_id" in args:
            query = query.where(AuditEvent.id < args["before_id"])
        return db.session.scalars(query.order_by(AuditEvent.id.desc()).limit(args["limit"])).all()
