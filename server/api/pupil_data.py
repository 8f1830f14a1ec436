"""A pupil's data rights: everything held about them as a ZIP (subject access), and the legal
hold that keeps retention from purging them. SENCO only; every export is audited."""

from datetime import date

from flask import Response, current_app
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import RAISE, fields, validate

from schemas.base import StrictSchema
from server import pupil_zip
from server.extensions import db
from server.models import LegalHold, Pupil, audit
from server.policy import EXPORT_PUPIL, MANAGE_RETENTION, may_export_concerns, require
from sync.retention import purge_after

blp = Blueprint(
    "pupil_data",
    __name__,
    url_prefix="/api/v1/pupils",
    description="Subject access exports and legal holds.",
)

ONLY_A_DSL = "Only a designated safeguarding lead can include safeguarding concerns in an export."


class ExportQuerySchema(StrictSchema):
    include_concerns = fields.Boolean(
        load_default=False,
        metadata={
            "description": "Designated safeguarding leads only: add concerns and the "
            "answers passed to the safeguarding lead"
        },
    )


class HoldSchema(StrictSchema):
    reason = fields.String(required=True, validate=validate.Length(min=3, max=2000))


class HoldStateSchema(StrictSchema):
    on_hold = fields.Boolean()
    reason = fields.String(allow_none=True)
    placed_at = fields.AwareDateTime(allow_none=True)
    purge_after = fields.Date(
        metadata={"description": "When retention would purge the pupil after leaving"}
    )


def school_pupil(staff, pupil_id: int) -> Pupil:
    pupil = db.session.get(Pupil, pupil_id)
    if pupil is None or pupil.school_id != staff.school_id:
        abort(404, message=f"No pupil with id {pupil_id}.")
    return pupil


@blp.route("/<int:pupil_id>/export")
class Export(MethodView):
    @blp.arguments(ExportQuerySchema, location="query", unknown=RAISE)
    @blp.response(
        200, content_type="application/zip", description="summary.html, data.json, photos/"
    )
    @blp.doc(
        responses={
            "200": {
                "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}}
            }
        }
    )
    def get(self, args, pupil_id):
        """Everything held about one pupil, for a subject access request: a readable summary,
        the same as JSON, and their photos and drawings. Other pupils and safeguarding content
        are left out unless a DSL sets include_concerns."""
        staff = require(EXPORT_PUPIL)
        if args["include_concerns"] and not may_export_concerns(staff):
            abort(403, message=ONLY_A_DSL, errors={"include_concerns": [ONLY_A_DSL]})
        pupil = school_pupil(staff, pupil_id)
        body, counts = pupil_zip.build(db.session, pupil, args["include_concerns"])
        audit.record(
            db.session, "export", "pupils", pupil.id, school_id=staff.school_id, detail=counts
        )
        db.session.commit()
        response = Response(body, mimetype="application/zip")
        name = f"pupil-{pupil.upn}-{date.today().isoformat()}.zip"
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


@blp.route("/<int:pupil_id>/legal-hold")
class Hold(MethodView):
    @blp.response(200, HoldStateSchema)
    def get(self, pupil_id):
        """Whether the pupil is on legal hold, and when retention would purge them."""
        staff = require(MANAGE_RETENTION)
        return _state(school_pupil(staff, pupil_id))

    @blp.arguments(HoldSchema)
    @blp.response(200, HoldStateSchema)
    def put(self, data, pupil_id):
        """Place (or update) a legal hold: retention never purges a pupil on hold."""
        staff = require(MANAGE_RETENTION)
        pupil = school_pupil(staff, pupil_id)
        hold = db.session.get(LegalHold, pupil.id) or LegalHold(
            pupil_id=pupil.id, school_id=pupil.school_id
        )
        hold.reason, hold.placed_by = data["reason"], staff.id
        db.session.add(hold)
        db.session.commit()
        return _state(pupil)

    @blp.response(200, HoldStateSchema)
    def delete(self, pupil_id):
        """Lift the legal hold; retention then applies as usual."""
        staff = require(MANAGE_RETENTION)
        pupil = school_pupil(staff, pupil_id)
        hold = db.session.get(LegalHold, pupil.id)
        if hold is not None:
            db.session.delete(hold)
            db.session.commit()
        return _state(pupil)


def _state(pupil: Pupil) -> dict:
    hold = db.session.get(LegalHold, pupil.id)
    return {
        "on_hold": hold is not None,
        "reason": hold.reason if hold else None,
        "placed_at": hold.placed_at if hold else None,
        "purge_after": purge_after(pupil.dob, current_app.config["RETENTION_YEARS_FROM_DOB"]),
    }
