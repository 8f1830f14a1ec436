"""Safeguarding concerns: only the SENCO and designated safeguarding leads see them; every read
is audited, and every action recorded is an audited write (models/audit.py)."""

from datetime import UTC, datetime, timedelta

from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import RAISE
from sqlalchemy import func, select

from schemas.base import MAX_ID
from schemas.concern import (
    CLOSE_NEEDS,
    ConcernActionInSchema,
    ConcernOutSchema,
    ConcernPatchSchema,
    ConcernQuerySchema,
    ConcernSummarySchema,
)
from server.extensions import db
from server.models import Concern, ConcernAction, audit
from server.policy import require_safeguarding_reader
from sync.concern_view import rows

blp = Blueprint(
    "concerns",
    __name__,
    url_prefix="/api/v1/concerns",
    description="Safeguarding concerns raised by pupil voice or flagged by staff.",
)

A_DAY = timedelta(days=1)


def get_concern(staff, concern_id: int) -> Concern:
    concern = None if concern_id > MAX_ID else db.session.get(Concern, concern_id)
    if concern is None or concern.school_id != staff.school_id:
        abort(404, message=f"No concern with id {concern_id}.")
    return concern


def read_one(staff, concern: Concern) -> dict:
    """The concern with its record's answers in context; the read is audited."""
    audit.record(db.session, "read", "concerns", concern.id, school_id=staff.school_id)
    db.session.commit()
    return rows(db.session, [concern], detail=True)[0]


@blp.route("/")
class Concerns(MethodView):
    @blp.arguments(ConcernQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, ConcernOutSchema(many=True))
    def get(self, args):
        """Concerns in this school, open ones first, newest first within each."""
        staff = require_safeguarding_reader()
        query = select(Concern).where(Concern.school_id == staff.school_id)
        if "status" in args:
            query = query.where(Concern.status == args["status"])
        concerns = db.session.scalars(
            query.order_by((Concern.status == "open").desc(), Concern.id.desc())
        ).all()
        audit.record(
            db.session,
            "read",
            "concerns",
            school_id=staff.school_id,
            detail={"ids": [c.id for c in concerns]},
        )
        db.session.commit()
        return rows(db.session, concerns)


@blp.route("/summary")
class Summary(MethodView):
    @blp.response(200, ConcernSummarySchema)
    def get(self):
        """How many are open, and how many have waited more than a day: counts only, no pupil
        and no content, so the home screen can show them without reading any concern."""
        staff = require_safeguarding_reader()
        opened = select(Concern.raised_at).where(
            Concern.school_id == staff.school_id, Concern.status == "open"
        )
        stamps = db.session.scalars(opened).all()
        cutoff = datetime.now(UTC) - A_DAY
        # SQLite hands moments back without their zone; they were stored in UTC.
        aware = [s if s.tzinfo else s.replace(tzinfo=UTC) for s in stamps]
        return {
            "open": len(aware),
            "waiting_over_a_day": sum(s < cutoff for s in aware),
            "oldest_open_raised_at": min(aware, default=None),
        }


@blp.route("/<int:concern_id>")
class ConcernById(MethodView):
    @blp.response(200, ConcernOutSchema)
    def get(self, concern_id):
        """One concern, with the pupil's answers in context and every action taken."""
        staff = require_safeguarding_reader()
        return read_one(staff, get_concern(staff, concern_id))

    @blp.arguments(ConcernPatchSchema)
    @blp.response(200, ConcernOutSchema)
    def patch(self, data, concern_id):
        """Close (or reopen) the concern, or change its closing note. Closing needs something
        recorded first: an action, or a note in the same request."""
        staff = require_safeguarding_reader()
        concern = get_concern(staff, concern_id)
        if data.get("status") == "closed" and concern.status != "closed":
            acted = db.session.scalar(
                select(func.count()).where(ConcernAction.concern_id == concern.id)
            )
            if not acted and not (data.get("notes") or concern.notes or "").strip():
                abort(422, errors={"status": [CLOSE_NEEDS]})
        for key, value in data.items():
            setattr(concern, key, value)
        concern.handled_by, concern.handled_at = staff.id, datetime.now(UTC)
        db.session.commit()
        return read_one(staff, concern)


@blp.route("/<int:concern_id>/actions")
class Actions(MethodView):
    @blp.arguments(ConcernActionInSchema)
    @blp.response(201, ConcernOutSchema)
    def post(self, data, concern_id):
        """Record one action taken, with a note; answers with the concern as it now reads."""
        staff = require_safeguarding_reader()
        concern = get_concern(staff, concern_id)
        db.session.add(
            ConcernAction(
                school_id=concern.school_id,
                concern_id=concern.id,
                action=data["action"],
                note=(data.get("note") or "").strip() or None,
                taken_by=staff.id,
            )
        )
        concern.handled_by, concern.handled_at = staff.id, datetime.now(UTC)
        db.session.commit()
        return read_one(staff, concern)
