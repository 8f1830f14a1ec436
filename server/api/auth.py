"""Log in, log out, fetch a CSRF token, and read your own profile."""

from flask import current_app, g
from flask.views import MethodView
from flask_smorest import Blueprint

from schemas.school import CsrfSchema, LoginSchema, MeSchema, PasswordChangeSchema
from server import auth, pupil_mode, second_factor
from server.extensions import db
from server.login_limits import (
    address_breached,
    address_limits,
    counted_failure,
    from_known_device,
    limiter,
)
from server.models import School, audit

blp = Blueprint("auth", __name__, url_prefix="/api/v1", description="Login, logout and profile.")


def profile() -> dict:
    staff = auth.current_staff()
    return {
        "staff": staff,
        "school": db.session.get(School, staff.school_id),
        "csrf_token": auth.csrf_token(),
        "pupil_mode_ticket": pupil_mode.ticket_for(g.login),
        "pin_kdf_iterations": current_app.config["PIN_KDF_ITERATIONS"],
        "second_factor": {
            "enabled": second_factor.enabled(staff),
            "required": second_factor.required_for(staff),
            "pending": bool(g.login.second_factor_pending),
        },
    }


@blp.route("/auth/csrf")
class Csrf(MethodView):
    @blp.response(200, CsrfSchema)
    def get(self):
        """Get the CSRF token to send as X-CSRF-Token on every write, login included."""
        return {"csrf_token": auth.csrf_token()}


@blp.route("/auth/login")
class Login(MethodView):
    @blp.arguments(LoginSchema)
    @blp.response(200, MeSchema)
    @limiter.limit(
        address_limits,
        deduct_when=counted_failure,
        exempt_when=from_known_device,
        on_breach=address_breached,
    )
    def post(self, data):
        """Log in with email and password, and the 6-digit `otp` if the account has a second
        step. Failures slow down per account, per address and per device, each with a
        Retry-After (README, Login limits); a 401 naming `otp` asks for the code."""
        staff = auth.login(data["email"], data["password"], data.get("otp"))
        audit.record(db.session, "login", "staff", staff.id, school_id=staff.school_id)
        db.session.commit()
        return profile()


@blp.route("/auth/logout")
class Logout(MethodView):
    @blp.response(204)
    def post(self):
        """Log out and end this session on the server."""
        if g.staff:
            audit.record(db.session, "logout", "staff", g.staff.id, school_id=g.staff.school_id)
        auth.logout()
        db.session.commit()


@blp.route("/auth/password")
class Password(MethodView):
    @blp.arguments(PasswordChangeSchema)
    @blp.response(200, MeSchema)
    def post(self, data):
        """Choose your own password (required after an admin set or reset it). Your other
        sessions end; this one goes on."""
        staff = auth.current_staff()
        auth.change_password(staff, data["current_password"], data["new_password"])
        db.session.commit()  # the staff row's audit event names the changed fields, never values
        return profile()


@blp.route("/me")
class Me(MethodView):
    @blp.response(200, MeSchema)
    def get(self):
        """Your own profile, role and school, and the CSRF token for this session."""
        return profile()
