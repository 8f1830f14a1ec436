"""Session-cookie login backed by the database, CSRF on every state-changing request, role checks."""

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta
from functools import cache

from flask import after_this_request, current_app, g, request, session
from flask_smorest import abort
from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from server import login_limits, pupil_mode, second_factor
from server.extensions import db
from server.models import LoginAttempt, LoginSession, Staff

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
WRONG_CODE = "That code is not right. Try the newest code from your authenticator app."
LOGIN_WITH_STAFF = (
    select(LoginSession)
    .options(joinedload(LoginSession.staff))
    .where(LoginSession.token_hash == bindparam("token_hash"))
)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def device_id() -> str | None:
    value = request.headers.get("X-Device-Id", "")[:64]
    return value or None


def hash_secret(value: str) -> str:
    return generate_password_hash(value, method=current_app.config["PASSWORD_HASH_METHOD"])


@cache
def _dummy_hash() -> str:
    return hash_secret(secrets.token_hex(8))


def load_login() -> None:
    """Before each request: who is this, and is their CSRF token right for a write?"""
    g.staff = None
    g.login = None
    g.session_ended = False
    token = session.get("token")
    if token:
        # The login and its staff member in one query: every request asks for both.
        login = db.session.scalar(LOGIN_WITH_STAFF, {"token_hash": _hash(token)})
        if login and _aware(login.expires_at) > _now() and login.staff.active:
            g.login, g.staff = login, login.staff
        else:
            # Expired, logged out or ended by an admin: forget it, so the cookie stops naming it.
            g.session_ended = True
            session.pop("token")
    db.session.info["actor"] = {
        "actor_id": g.staff.id if g.staff else None,
        "device_id": device_id(),
    }
    if request.method in UNSAFE_METHODS and request.path.startswith("/api/"):
        _check_csrf()
    if g.staff is not None and g.staff.must_change_password:
        _only_the_password_change()
    if g.login is not None:
        # Pupil mode and a missing second factor each limit what this login may do.
        pupil_mode.load(g.login)
        if g.login.second_factor_pending:
            second_factor.only_setup()


# What a session may do while its password was set by someone else: read who it is, choose a
# new password, or leave. Everything else waits (the app shows the password form first).
WHILE_PASSWORD_IS_TEMPORARY = frozenset(
    {
        "/api/v1/me",
        "/api/v1/auth/csrf",
        "/api/v1/auth/login",
        "/api/v1/auth/logout",
        "/api/v1/auth/password",
    }
)


def _only_the_password_change() -> None:
    if request.path.startswith("/api/") and request.path not in WHILE_PASSWORD_IS_TEMPORARY:
        abort(
            403,
            message="Choose your own password first: the one you logged in with was temporary.",
        )


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes even for timezone-aware columns.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def csrf_token() -> str:
    """The token the client must echo: the login's once signed in, else one for the login form."""
    if g.login:
        return g.login.csrf_token
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def _check_csrf() -> None:
    sent = request.headers.get("X-CSRF-Token", "")
    expected = g.login.csrf_token if g.login else session.get("csrf", "")
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        if g.session_ended:
            # The client's token belonged to a session that has ended; a new CSRF token would
            # not help. Say so, so an offline outbox waits for a login instead of retrying.
            abort(401, message="Your session has ended. Please log in again.")
        abort(
            403,
            message="Missing or wrong CSRF token. Fetch one from GET /api/v1/auth/csrf "
            "and send it in the X-CSRF-Token header.",
        )


def login(email: str, password: str, otp: str | None = None) -> Staff:
    """Check the password (and the second factor, if the person has one) with the limits of
    server/login_limits.py; on success start a database-backed session."""
    email = email.strip().lower()
    ip = request.remote_addr or "unknown"
    known_device = login_limits.known_device_key(email)
    login_limits.refuse_if_locked(email, known_device, _now())
    staff = db.session.execute(select(Staff).where(Staff.email == email)).scalar_one_or_none()
    # Hash even for unknown emails, so timing does not reveal which accounts exist.
    valid = check_password_hash(
        staff.password_hash if staff and staff.password_hash else _dummy_hash(), password
    )
    ok = bool(staff and staff.active and staff.password_hash and valid)
    factor = second_factor.factor_of(staff.id) if ok else None
    if ok and factor and factor.secret and not otp:
        # The password was right: ask for the code, and count nothing against anyone.
        ask = "Enter the 6-digit code from your authenticator app."
        abort(401, message=ask, errors={"otp": [ask]})
    if ok and factor and factor.secret:
        ok = second_factor.check_code(factor, otp)
    db.session.add(LoginAttempt(email=email, ip=ip, succeeded=ok, device_key=known_device))
    if not ok:
        g.login_failed = True  # counted against the address too (login_limits.counted_failure)
        db.session.commit()
        abort(401, message="Email or password is not right." if not factor else WRONG_CODE)
    after_this_request(lambda response: _after_login(response, staff, known_device))
    token = secrets.token_urlsafe(32)
    hours = current_app.config["SESSION_LIFETIME_HOURS"]
    g.login = LoginSession(
        token_hash=_hash(token),
        staff=staff,
        csrf_token=secrets.token_urlsafe(32),
        device_id=device_id(),
        expires_at=_now() + timedelta(hours=hours),
        second_factor_pending=second_factor.required_for(staff)
        and not second_factor.enabled(staff),
    )
    g.staff = staff
    # From here on this request acts for the new user: the login's own audit row names them.
    db.session.info["actor"] = {"actor_id": staff.id, "device_id": device_id()}
    db.session.add(g.login)
    # Sessions that ran out are dead weight (and a list of when someone worked): clear this
    # user's at each login, so the table stays about one row per person and device.
    db.session.execute(
        delete(LoginSession).where(
            LoginSession.staff_id == staff.id, LoginSession.expires_at < _now()
        )
    )
    session.clear()
    session["token"] = token
    session.permanent = True
    return staff


def _after_login(response, staff: Staff, known_device: str | None):
    """Remember the device; forget any pupil-mode cookie, which named the old login."""
    response.delete_cookie(pupil_mode.COOKIE, path="/")
    return login_limits.remember_device(response, staff, known_device)


def _refuse_if_rate_limited(email: str, ip: str) -> None:
    """The account's own limit (server/login_limits.py); the address's is on the login route."""
    login_limits.refuse_if_locked(email, None, _now())


def change_password(staff: Staff, current: str, new: str) -> None:
    """The person's own new password. A wrong current password counts as a failed login, so
    this form is no way around the login limit. Other sessions end; this one goes on."""
    ip = request.remote_addr or "unknown"
    _refuse_if_rate_limited(staff.email, ip)
    if not (staff.password_hash and check_password_hash(staff.password_hash, current)):
        db.session.add(LoginAttempt(email=staff.email, ip=ip, succeeded=False))
        db.session.commit()
        wrong = "This is not the password you logged in with."
        abort(422, message=wrong, errors={"current_password": [wrong]})
    if new == current:
        same = "Choose a password different from the one you logged in with."
        abort(422, message=same, errors={"new_password": [same]})
    staff.password_hash = hash_secret(new)
    staff.must_change_password = False
    db.session.execute(
        delete(LoginSession).where(
            LoginSession.staff_id == staff.id, LoginSession.token_hash != g.login.token_hash
        )
    )


def logout() -> None:
    if g.login:
        db.session.execute(
            delete(LoginSession).where(LoginSession.token_hash == g.login.token_hash)
        )
    session.clear()


def end_sessions_for(staff_id: int) -> None:
    db.session.execute(delete(LoginSession).where(LoginSession.staff_id == staff_id))


def current_staff() -> Staff:
    if g.staff is None:
        abort(401, message="Please log in.")
    return g.staff
