"""Safeguarding concerns: only the SENCO and designated safeguarding leads see them; every read
is audited."""

from datetime import UTC, datetime

from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import RAISE, fields, validate
from sqlalchemy import select

from schemas.base import StrictSchema, one_of
from server.extensions import db
from server.models import Concern, Entry, audit
from server.policy import require_safeguarding_reader

blp = Blueprint(
    "concerns",
    __name__,
    url_prefix="/api/v1/concerns",
    description="Safeguarding concerns raised by pupil voice or flagged by staff.",
)


class ConcernSchema(StrictSchema):
    id = fields.Integer(dump_only=True)
    pupil_id = fields.Integer(dump_only=True)
    entry_id = fields.Method("dump_entry_id", dump_only=True)
    reason = fields.String(dump_only=True)
    status = one_of(("open", "closed"))
    raised_at = fields.DateTime(dump_only=True)
    handled_by = fields.Integer(dump_only=True)
    handled_at = fields.DateTime(dump_only=True)
    notes = fields.String(allow_none=True, validate=validate.Length(max=5000))

    def dump_entry_id(self, concern):
        return db.session.scalar(select(Entry.entry_id).where(Entry.id == concern.entry_pk))


class ConcernQuerySchema(StrictSchema):
    status = one_of(("open", "closed"))


def get_concern(staff, concern_id: int) -> Concern:
    concern = db.session.get(Concern, concern_id)
    if concern is None or concern.school_id != staff.school_id:
        abort(404, message=f"No concern with id {concern_id}.")
    return concern


@blp.route("/")
class Concerns(MethodView):
    @blp.arguments(ConcernQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, ConcernSchema(many=True))
    def get(self, args):
        """Concerns in this school, newest first."""
        staff = require_safeguarding_reader()
        query = select(Concern).where(Concern.school_id == staff.school_id)
        if "status" in args:
            query = query.where(Concern.status == args["status"])
        concerns = db.session.scalars(query.order_by(Concern.id.desc())).all()
        audit.record(
            db.session,
            "read",
            "concerns",
            school_id=staff.school_id,
            detail={"ids": [c.id for c in concerns]},
        )
        db.session.commit()
        return concerns


@blp.route("/<int:concern_id>")
class ConcernById(MethodView):
    @blp.response(200, ConcernSchema)
    def get(self, concern_id):
        """One concern."""
        staff = require_safeguarding_reader()
        concern = get_concern(staff, concern_id)
        audit.record(db.session, "read", "concerns", concern.id, school_id=staff.school_id)
        db.session.commit()
        return concern

    @blp.arguments(ConcernSchema(partial=True))
    @blp.response(200, ConcernSchema)
    def patch(self, data, concern_id):
        """Record what was done, or close the concern."""
        staff = require_safeguarding_reader()
        concern = get_concern(staff, concern_id)
        for key, value in data.items():
            setattr(concern, key, value)
        concern.handled_by, concern.handled_at = staff.id, datetime.now(UTC)
        db.session.commit()
        return concern
