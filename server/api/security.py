"""Login rules: a member of staff's second step at login (TOTP), and whether the school
requires it of its SENCO, DSLs and admins."""

from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import fields, validate

from schemas.base import StrictSchema
from server import second_factor
from server.extensions import db
from server.models import SecuritySettings
from server.policy import MANAGE_SECURITY, SIGN_IN, require

blp = Blueprint(
    "security",
    __name__,
    url_prefix="/api/v1",
    description="A second step at login, and the school's login rules.",
)

NOT_FOR_YOUR_ROLE = "A second step at login is for the SENCO, safeguarding leads and admins."


class SetupSchema(StrictSchema):
    secret = fields.String(metadata={"description": "Type this into an authenticator app"})
    otpauth_uri = fields.String(metadata={"description": "The same as an otpauth:// link"})


class CodeSchema(StrictSchema):
    code = fields.String(
        required=True,
        validate=validate.Regexp(r"^\d{6}$", error="Enter the 6 digits the app shows."),
    )


class StateSchema(StrictSchema):
    enabled = fields.Boolean()
    required = fields.Boolean()


class SettingsSchema(StrictSchema):
    second_factor_required = fields.Boolean(
        required=True,
        metadata={"description": "SENCO, DSLs and admins must log in with a code as well"},
    )


def _privileged():
    staff = require(SIGN_IN)
    if not second_factor.privileged(staff):
        abort(403, message=NOT_FOR_YOUR_ROLE)
    return staff


def _state(staff) -> dict:
    return {"enabled": second_factor.enabled(staff), "required": second_factor.required_for(staff)}


@blp.route("/auth/second-factor")
class SecondFactorSetup(MethodView):
    @blp.response(201, SetupSchema)
    def post(self):
        """Start setting up a second step: a new secret for an authenticator app. It takes
        effect once a code from the app is confirmed."""
        staff = _privileged()
        setup = second_factor.start_setup(staff)
        db.session.commit()
        return setup


@blp.route("/auth/second-factor/confirm")
class SecondFactorConfirm(MethodView):
    @blp.arguments(CodeSchema)
    @blp.response(200, StateSchema)
    def post(self, data):
        """Confirm with the code the app shows; from the next login it asks for a code."""
        staff = _privileged()
        second_factor.confirm_setup(staff, data["code"])
        db.session.commit()
        return _state(staff)


@blp.route("/auth/second-factor/off")
class SecondFactorOff(MethodView):
    @blp.arguments(CodeSchema)
    @blp.response(200, StateSchema)
    def post(self, data):
        """Switch the second step off (a current code proves it is you), unless required."""
        staff = _privileged()
        second_factor.switch_off(staff, data["code"])
        db.session.commit()
        return _state(staff)


@blp.route("/security/settings")
class Settings(MethodView):
    @blp.response(200, SettingsSchema)
    def get(self):
        """The school's login rules."""
        staff = require(MANAGE_SECURITY)
        settings = db.session.get(SecuritySettings, staff.school_id)
        return {"second_factor_required": bool(settings and settings.second_factor_required)}

    @blp.arguments(SettingsSchema)
    @blp.response(200, SettingsSchema)
    def put(self, data):
        """Require a second step of the SENCO, DSLs and admins (from their next login, they
        set one up before anything else), or stop requiring it."""
        staff = require(MANAGE_SECURITY)
        settings = db.session.get(SecuritySettings, staff.school_id) or SecuritySettings(
            school_id=staff.school_id
        )
        settings.second_factor_required = data["second_factor_required"]
        db.session.add(settings)
        db.session.commit()
        return {"second_factor_required": settings.second_factor_required}
