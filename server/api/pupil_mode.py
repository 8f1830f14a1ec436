"""Pupil mode on the server: hand a staff login to one pupil, and take it back with the PIN.

While a grant lasts, the login may only add that pupil's voice entries and their drawings
(server/policy.py, pupil_mode_allows); everything else answers 403 until `end`.
"""

from flask import g
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import fields, validate

from schemas.base import StrictSchema, ref
from server import pupil_mode
from server.extensions import db
from server.policy import SIGN_IN, capture_kinds, require

blp = Blueprint(
    "pupil_mode",
    __name__,
    url_prefix="/api/v1/pupil-mode",
    description="Pupil mode: a staff login handed to one pupil, enforced by the server.",
)

HEX64 = validate.Regexp(r"^[0-9a-f]{64}$", error="Must be 64 lower-case hex digits.")


class StartSchema(StrictSchema):
    pupil_id = ref(required=True)
    resume_check = fields.String(
        validate=HEX64,
        metadata={"description": "sha256 (hex) of the key the device derives from the staff PIN"},
    )


class GrantSchema(StrictSchema):
    pupil_id = fields.Integer()
    started_at = fields.AwareDateTime()
    expires_at = fields.AwareDateTime()


class EndSchema(StrictSchema):
    resume_key = fields.String(
        validate=HEX64, metadata={"description": "The key the device derives from the staff PIN"}
    )


class EndedSchema(StrictSchema):
    ended = fields.Boolean()
    pupil_mode_ticket = fields.String()


@blp.route("")
class PupilMode(MethodView):
    @blp.arguments(StartSchema)
    @blp.response(201, GrantSchema)
    def post(self, data):
        """Hand this login to one pupil (the app also sets the pupil-mode cookie, which starts
        the grant offline). Answers with the active grant if the device is already in it."""
        staff = require(SIGN_IN)
        if "pupil_voice" not in capture_kinds(staff.role):
            abort(403, message="Your role cannot record pupil voice.")
        grant = g.get("pupil_grant") or pupil_mode.start(
            g.login, data["pupil_id"], data.get("resume_check")
        )
        if grant is None:
            abort(404, message=f"No pupil with id {data['pupil_id']} among your pupils.")
        return grant


@blp.route("/end")
class End(MethodView):
    @blp.arguments(EndSchema)
    @blp.response(200, EndedSchema)
    def post(self, data):
        """Leave pupil mode: the key derived from the staff PIN gives the login back. Answers
        with a fresh ticket for the next hand-over."""
        require(SIGN_IN)
        ended = g.get("pupil_grant") is not None
        pupil_mode.end(g.login, data.get("resume_key"))
        db.session.commit()
        return {"ended": ended, "pupil_mode_ticket": pupil_mode.ticket_for(g.login)}
