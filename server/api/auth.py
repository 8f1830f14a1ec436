"""Log in, log out, fetch a CSRF token, and read your own profile."""

from flask import g
from flask.views import MethodView
from flask_smorest import Blueprint

from schemas.school import CsrfSchema, LoginSchema, MeSchema
from server import auth
from server.extensions import db
from server.models import School, audit

blp = Blueprint("auth", __name__, url_prefix="/api/v1", description="Login, logout and profile.")


def profile() -> dict:
    staff = auth.current_staff()
    return {
        "staff": staff,
        "school": db.session.get(School, staff.school_id),
        "csrf_token": auth.csrf_token(),
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
    def post(self, data):
        """Log in with email and password. Five failures in 15 minutes lock the email for a while."""
        staff = auth.login(data["email"], data["password"])
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


@blp.route("/me")
class Me(MethodView):
    @blp.response(200, MeSchema)
    def get(self):
        """Your own profile, role and school, and the CSRF token for this session."""
        return profile()
