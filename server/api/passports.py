"""The pupil passport: read (every read audited), edit a field by base_rev, move its status, print.

Only staff who work with the pupil see it (FORMS.md §5): the SENCO, the pupil's teachers and the
TAs who deliver their groups. Admins and viewers never do, and another school's pupil is a 404.
"""

import uuid
from datetime import date

from flask import Response, jsonify, render_template
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import fields
from sqlalchemy import select

from schemas.base import StrictSchema
from schemas.passport import PassportPatchSchema
from schemas.sen import today_in_london
from server.errors import envelope
from server.extensions import db
from server.models import Passport, Pupil, audit
from server.models.scope import visible_pupil_ids
from server.policy import EDIT_PASSPORTS, READ_PASSPORTS, require
from sync.passport import plan_edit, write_edits
from sync.passport_decisions import decide
from sync.passport_view import assemble
from sync.push.batch import Batch
from sync.scope import Scope

blp = Blueprint(
    "passports",
    __name__,
    url_prefix="/api/v1/pupils",
    description="Pupil passports (one-page profiles): read, edit, agree, share, print.",
)

MAX_ID = 2**31 - 1  # ids are 32-bit in the database; anything larger names no pupil


class PassportSchema(StrictSchema):
    pupil_id = fields.Integer()
    status = fields.String()
    agreed_on = fields.String(allow_none=True)
    shared_with_parent_on = fields.String(allow_none=True)
    parent_acknowledged_on = fields.String(allow_none=True)
    parent_comments = fields.String(allow_none=True)
    order = fields.List(fields.String(), metadata={"description": "Field names in print order"})
    fields_ = fields.Dict(
        data_key="fields",
        attribute="fields",
        metadata={
            "description": "Field name -> {label, computed, value or items, rev, suggestions, "
            "dismissed, conflicts}"
        },
    )


def visible_pupil(staff, pupil_id: int) -> Pupil:
    pupil = (
        None
        if pupil_id > MAX_ID
        else db.session.scalar(
            select(Pupil).where(
                Pupil.id == pupil_id,
                Pupil.school_id == staff.school_id,
                Pupil.id.in_(visible_pupil_ids(staff)),
            )
        )
    )
    if pupil is None:
        abort(404, message=f"No pupil with id {pupil_id}.")
    return pupil


def read_passport(staff, pupil: Pupil, view: str) -> dict:
    """Assemble and audit in one place, so no read path can skip the audit row."""
    # The reader's cut needs only this pupil: suggestions and targets are entries about them.
    passport = assemble(db.session, pupil, Scope(staff=staff, pupils={pupil.id}))
    audit.record(
        db.session, "read", "passports", pupil.id, school_id=staff.school_id, detail={"view": view}
    )
    db.session.commit()
    return passport


def _passport_row(pupil: Pupil) -> Passport:
    row = db.session.scalar(select(Passport).where(Passport.pupil_id == pupil.id))
    if row is None:
        row = Passport(school_id=pupil.school_id, pupil_id=pupil.id, status="draft")
        db.session.add(row)
    return row


def _edit_field(staff, pupil: Pupil, data: dict) -> Response | None:
    """Apply the edit, or keep both values as a conflict and answer 409 with both."""
    used = data.pop("from_suggestion", None)
    batch = Batch.for_web_edit(db.session, Scope(staff=staff, pupils={pupil.id}))
    result = plan_edit(
        batch, {"op_id": str(uuid.uuid4()), "passport_edit": {**data, "pupil_id": pupil.id}}
    )
    if result["status"] == "rejected":
        abort(422, errors=result["errors"]["passport_edit"])
    write_edits(batch)
    if not batch.plan.passport_conflicts:
        # Used in the same transaction as the edit: an accepted suggestion never comes back,
        # and one whose edit failed is still offered.
        if used:
            decide(db.session, staff, pupil, data["field"], used, "accepted")
        db.session.commit()
        return None
    db.session.commit()
    conflict = batch.plan.passport_conflicts[0][0]
    body = envelope(409, "Conflict", result["message"]) | {
        "conflict": {
            "id": conflict.id,
            "field": conflict.field,
            "base_rev": conflict.base_rev,
            "current_rev": conflict.current_rev,
            "current_value": conflict.current_value,
            "proposed_value": conflict.proposed_value,
        }
    }
    response = jsonify(body)
    response.status_code = 409
    return response


def _change_status(pupil: Pupil, data: dict) -> None:
    row = _passport_row(pupil)
    if "status" in data and data["status"] != row.status:
        row.status = data["status"]
        row.agreed_on = today_in_london() if data["status"] == "agreed" else row.agreed_on
    if "shared_with_parent_on" in data:
        row.shared_with_parent_on = data["shared_with_parent_on"]
    if "parent_acknowledged_on" in data:
        acknowledged, shared = data["parent_acknowledged_on"], row.shared_with_parent_on
        if acknowledged and (shared is None or acknowledged < shared):
            abort(
                422,
                errors={
                    "parent_acknowledged_on": [
                        "Record when the passport was shared with the parent first; the acknowledgement "
                        "cannot be earlier than that."
                    ]
                },
            )
        row.parent_acknowledged_on = acknowledged
    if "parent_comments" in data:
        row.parent_comments = data["parent_comments"]
    db.session.commit()


@blp.route("/<int:pupil_id>/passport")
class PassportView(MethodView):
    @blp.response(200, PassportSchema)
    def get(self, pupil_id):
        """The assembled passport: computed fields, edited fields with rev, suggestions."""
        staff = require(READ_PASSPORTS)
        return read_passport(staff, visible_pupil(staff, pupil_id), "json")

    @blp.arguments(PassportPatchSchema)
    @blp.response(200, PassportSchema)
    @blp.alt_response(409, description="base_rev was stale: both values kept as a conflict")
    def patch(self, data, pupil_id):
        """Edit one field ({field, value, base_rev}) or change status, sharing, acknowledgement.
        Moving to agreed sets agreed_on; any later field edit makes it a draft again."""
        staff = require(EDIT_PASSPORTS)
        pupil = visible_pupil(staff, pupil_id)
        if "field" in data:
            conflict = _edit_field(staff, pupil, data)
            if conflict is not None:
                return conflict
        else:
            _change_status(pupil, data)
        return read_passport(staff, pupil, "json")


@blp.app_template_filter("long_date")
def long_date(value) -> str:
    """'2016-02-10' -> '10 February 2016', the way letters home write dates; blank stays '—'."""
    if not value:
        return "—"
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day.day} {day:%B %Y}"


@blp.route("/<int:pupil_id>/passport/print")
class PassportPrint(MethodView):
    @blp.response(200, content_type="text/html")
    def get(self, pupil_id):
        """One side of A4, for a printed copy the pupil's adults keep (never a noticeboard)."""
        staff = require(READ_PASSPORTS)
        passport = read_passport(staff, visible_pupil(staff, pupil_id), "print")
        html = render_template(
            "passport_print.html", p=passport, f=passport["fields"], printed_on=today_in_london()
        )
        return Response(html, mimetype="text/html")
