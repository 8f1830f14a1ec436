"""A second factor at login: TOTP codes (RFC 6238) from an authenticator app, through pyotp.

Optional for the SENCO, designated safeguarding leads and admins, who can read or change the
most; a school can require it of them (security_settings.second_factor_required). A login by
one of them without a factor set up may then do nothing but set one up.
"""

from datetime import UTC, datetime

import pyotp
from flask import g, request
from flask_smorest import abort
from sqlalchemy import select

from server.extensions import db
from server.models import SecondFactor, SecuritySettings, Staff

ISSUER = "SEND evidence"
# One step either side: a tablet clock a little out, or a code typed as it turned over.
VALID_WINDOW = 1
WHILE_SETTING_UP = frozenset(
    {
        "/api/v1/me",
        "/api/v1/auth/csrf",
        "/api/v1/auth/login",
        "/api/v1/auth/logout",
        "/api/v1/auth/second-factor",
        "/api/v1/auth/second-factor/confirm",
    }
)
NEEDS_SETUP = (
    "Your school asks you to set up a second step at login (a code from an authenticator app) "
    "before you go on."
)


def privileged(staff: Staff) -> bool:
    return staff.role in ("senco", "admin") or bool(staff.is_dsl)


def factor_of(staff_id: int) -> SecondFactor | None:
    return db.session.get(SecondFactor, staff_id)


def enabled(staff: Staff) -> bool:
    factor = factor_of(staff.id)
    return bool(factor and factor.secret)


def required_for(staff: Staff) -> bool:
    """The school requires a second factor of this person."""
    if not privileged(staff):
        return False
    settings = db.session.get(SecuritySettings, staff.school_id)
    return bool(settings and settings.second_factor_required)


def check_code(factor: SecondFactor, code: str | None, secret: str | None = None) -> bool:
    """Whether `code` is right for the secret (the enabled one unless given), at most once per
    30-second step: an accepted step is stored, and that step and earlier ones fail after."""
    secret = secret or factor.secret
    if not (secret and code and code.isdigit() and len(code) == 6):
        return False
    totp = pyotp.TOTP(secret)
    now = datetime.now(UTC)
    step = totp.timecode(now)
    for offset in range(-VALID_WINDOW, VALID_WINDOW + 1):
        candidate = step + offset
        if candidate > factor.last_step and pyotp.utils.strings_equal(
            totp.generate_otp(candidate), code
        ):
            factor.last_step = candidate
            return True
    return False


def start_setup(staff: Staff) -> dict:
    """A new secret to put in an authenticator app; it counts only once a code proves it."""
    factor = factor_of(staff.id) or SecondFactor(
        staff_id=staff.id, school_id=staff.school_id, last_step=0
    )
    factor.pending = pyotp.random_base32()
    db.session.add(factor)
    uri = pyotp.TOTP(factor.pending).provisioning_uri(name=staff.email, issuer_name=ISSUER)
    return {"secret": factor.pending, "otpauth_uri": uri}


def confirm_setup(staff: Staff, code: str) -> None:
    factor = factor_of(staff.id)
    if factor is None or not factor.pending:
        abort(409, message="Start setting up the second step first.")
    if not check_code(factor, code, factor.pending):
        wrong = (
            "That code is not right. Check the app shows this account, then try the newest code."
        )
        abort(422, message=wrong, errors={"code": [wrong]})
    factor.secret, factor.pending = factor.pending, None
    factor.enabled_at = datetime.now(UTC)
    if g.login is not None:
        g.login.second_factor_pending = False


def switch_off(staff: Staff, code: str) -> None:
    factor = factor_of(staff.id)
    if factor is None or not factor.secret:
        abort(409, message="No second step is set up for your account.")
    if required_for(staff):
        abort(409, message="Your school requires a second step at login for your role.")
    if not check_code(factor, code):
        wrong = "That code is not right."
        abort(422, message=wrong, errors={"code": [wrong]})
    factor.secret, factor.pending = None, None


def staff_with_factor(school_id: int) -> set[int]:
    return set(
        db.session.scalars(
            select(SecondFactor.staff_id).where(
                SecondFactor.school_id == school_id, SecondFactor.secret.is_not(None)
            )
        )
    )


def only_setup() -> None:
    """Before each request of a login that must set up its second factor first."""
    if request.path.startswith("/api/") and request.path not in WHILE_SETTING_UP:
        abort(403, message=NEEDS_SETUP)
