"""Dismissing a passport suggestion, and bringing it back. Using one is a field edit that names
it (PATCH /pupils/<id>/passport with from_suggestion). Either way it is kept on the server, so
it is not offered again on any device."""

from flask.views import MethodView
from flask_smorest import Blueprint, abort
from sqlalchemy import select

from schemas.base import MAX_ID
from schemas.passport import DismissSchema
from server.api.passports import PassportSchema, read_passport, visible_pupil
from server.extensions import db
from server.models import SuggestionDecision
from server.policy import EDIT_PASSPORTS, require
from sync.passport_decisions import decide
from sync.passport_view import assemble
from sync.scope import Scope

blp = Blueprint(
    "passport_suggestions",
    __name__,
    url_prefix="/api/v1/pupils",
    description="Passport suggestions dismissed, so they are not offered again.",
)


def _offered(staff, pupil, data: dict) -> bool:
    """Only a suggestion this reader is offered for this field can be dismissed."""
    passport = assemble(db.session, pupil, Scope(staff=staff, pupils={pupil.id}))
    return any(
        s["entry_id"] == data["entry_id"] and s["question_id"] == data["question_id"]
        for s in passport["fields"][data["field"]]["suggestions"]
    )


@blp.route("/<int:pupil_id>/passport/dismissals")
class Dismissals(MethodView):
    @blp.arguments(DismissSchema)
    @blp.response(200, PassportSchema)
    def post(self, data, pupil_id):
        """Dismiss one suggestion for one field; answers with the passport as it now reads."""
        staff = require(EDIT_PASSPORTS)
        pupil = visible_pupil(staff, pupil_id)
        if not _offered(staff, pupil, data):
            abort(
                422,
                errors={
                    "question_id": [
                        "This suggestion is not offered for this field now: "
                        "it may have been used or dismissed already."
                    ]
                },
            )
        ref = {k: data[k] for k in ("entry_id", "question_id")}
        decide(db.session, staff, pupil, data["field"], ref, "dismissed")
        db.session.commit()
        return read_passport(staff, pupil, "json")


@blp.route("/<int:pupil_id>/passport/dismissals/<int:dismissal_id>")
class Dismissal(MethodView):
    @blp.response(200, PassportSchema)
    def delete(self, pupil_id, dismissal_id):
        """Bring a dismissed suggestion back; answers with the passport as it now reads."""
        staff = require(EDIT_PASSPORTS)
        pupil = visible_pupil(staff, pupil_id)
        row = (
            None
            if dismissal_id > MAX_ID
            else db.session.scalar(
                select(SuggestionDecision).where(
                    SuggestionDecision.id == dismissal_id,
                    SuggestionDecision.pupil_id == pupil.id,
                    SuggestionDecision.decision == "dismissed",
                )
            )
        )
        if row is None:
            abort(404, message=f"No dismissed suggestion with id {dismissal_id} for this pupil.")
        db.session.delete(row)
        db.session.commit()
        return read_passport(staff, pupil, "json")
