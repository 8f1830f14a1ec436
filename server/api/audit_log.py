"""Read the audit log (admin and SENCO). It has no write endpoints: the log is append-only."""

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE
from sqlalchemy import select

from schemas.audit import AuditEventSchema, AuditQuerySchema
from server.extensions import db
from server.models import AuditEvent
from server.policy import READ_AUDIT, require

blp = Blueprint("audit", __name__, url_prefix="/api/v1/audit", description="The audit log.")


@blp.route("/")
class AuditEvents(MethodView):
    @blp.arguments(AuditQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, AuditEventSchema(many=True))
    def get(self, args):
        """Newest first. Page with before_id set to the last id you have."""
        staff = require(READ_AUDIT)
        query = select(AuditEvent).where(AuditEvent.school_id == staff.school_id)
        for name in ("resource", "resource_id", "actor_id"):
            if name in args:
                query = query.where(getattr(AuditEvent, name) == args[name])
        if "before_id" in args:
            query = query.where(AuditEvent.id < args["before_id"])
        return db.session.scalars(query.order_by(AuditEvent.id.desc()).limit(args["limit"])).all()
