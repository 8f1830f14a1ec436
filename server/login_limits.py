"""How hard a wrong password is made to guess again: per address, per account and per device.

- **Per address** (Flask-Limiter, counting failed logins only): stacked windows, e.g. 20 in 15
  minutes and 100 in a day, so a run of guesses from one machine is slowed more and more. The
  counts live in Flask-Limiter's store (`RATELIMIT_STORAGE_URI`): memory for one process, Redis
  shared by every app server in deploy/compose.yaml.
- **Per account** (the login_attempts table, shared by every app server): 5 failures in 15
  minutes lock the account for what is left of the window, 10 in an hour for longer, 20 in four
  hours longer still, so each further run waits more.
- **Known devices** (OWASP's "device cookie"): a successful login leaves a signed cookie naming
  the person and a random key. A later login for that person carrying it is counted against that
  device alone: an attacker guessing from the school's shared address, or at the account, does
  not lock the SENCO out of the tablet they always use, and a stolen cookie still only gets the
  same few tries.
"""

import math
import secrets
from datetime import UTC, datetime, timedelta

from flask import current_app, g, jsonify, request
from flask_limiter import Limiter, RateLimitExceeded, RequestLimit
from flask_limiter.util import get_remote_address
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from server.errors import envelope
from server.extensions import db
from server.models import LoginAttempt, Staff

DEVICE_COOKIE = "send_device"
DEVICE_COOKIE_PATH = "/api/v1/auth"
TIERS = 3  # each tier: twice the failures, four times the window

limiter = Limiter(key_func=get_remote_address, default_limits=[], strategy="moving-window")


def address_limits() -> str:
    return current_app.config["LOGIN_ADDRESS_LIMITS"]


def counted_failure(response) -> bool:
    """Only a wrong email or password counts against the address; a lock (429) does not."""
    return response.status_code == 401 and bool(g.get("login_failed"))


def from_known_device() -> bool:
    """Flask-Limiter's exempt_when: a login carrying this person's own device cookie."""
    body = request.get_json(silent=True)
    email = body.get("email") if isinstance(body, dict) else None
    return isinstance(email, str) and known_device_key(email.strip().lower()) is not None


def address_breached(limit: RequestLimit):
    wait = max(1, math.ceil(limit.reset_at - datetime.now(UTC).timestamp()))
    return _too_many(wait, "from this network")


def _too_many(wait: int, where: str = ""):
    minutes = -(-wait // 60)
    message = (
        f"Too many failed logins{' ' + where if where else ''}. Try again in {minutes} minute"
        f"{'' if minutes == 1 else 's'}."
    )
    response = jsonify(envelope(429, "Too Many Requests", message))
    response.status_code = 429
    response.headers["Retry-After"] = str(wait)
    return response


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="known-device")


def known_device_key(email: str) -> str | None:
    """The device key of a valid cookie that names the account with this email, else None."""
    if "known_device" not in g:
        g.known_device = _read_cookie()
    found = g.known_device
    if found is None:
        return None
    staff_id, key = found
    owner = db.session.scalar(select(Staff.id).where(Staff.email == email))
    return key if owner == staff_id else None


def _read_cookie():
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw:
        return None
    max_age = current_app.config["KNOWN_DEVICE_DAYS"] * 86400
    try:
        data = _serializer().loads(raw, max_age=max_age)
    except BadSignature:
        return None
    if not (isinstance(data, dict) and isinstance(data.get("s"), int)):
        return None
    key = data.get("k")
    return (data["s"], key) if isinstance(key, str) and len(key) <= 32 else None


def remember_device(response, staff: Staff, key: str | None):
    """Set (or renew) the known-device cookie after a successful login."""
    value = _serializer().dumps({"s": staff.id, "k": key or secrets.token_hex(16)})
    response.set_cookie(
        DEVICE_COOKIE,
        value,
        max_age=current_app.config["KNOWN_DEVICE_DAYS"] * 86400,
        path=DEVICE_COOKIE_PATH,
        httponly=True,
        samesite="Strict",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response


def refuse_if_locked(email: str, device_key: str | None, now: datetime) -> None:
    """429 while the account (or, from a known device, that device) is resting."""
    who = (
        LoginAttempt.device_key == device_key
        if device_key
        else (LoginAttempt.email == email) & LoginAttempt.device_key.is_(None)
    )
    wait = seconds_locked(who, now)
    if wait:
        from flask_smorest import abort

        minutes = -(-wait // 60)
        abort(
            429,
            message=f"Too many failed logins. Try again in {minutes} minute"
            f"{'' if minutes == 1 else 's'}.",
            headers={"Retry-After": str(wait)},
        )


def seconds_locked(who, now: datetime) -> int:
    """The longest wait any tier imposes: tier k allows LOGIN_MAX_FAILURES * 2**k failures in
    LOGIN_WINDOW_MINUTES * 4**k; once reached, the wait lasts until the oldest of those latest
    failures leaves its window, so staff are told when to try again."""
    config = current_app.config
    waits = [0]
    for tier in range(TIERS):
        limit = config["LOGIN_MAX_FAILURES"] * 2**tier
        window = timedelta(minutes=config["LOGIN_WINDOW_MINUTES"] * 4**tier)
        latest = db.session.scalars(
            select(LoginAttempt.at)
            .where(who, LoginAttempt.succeeded.is_(False), LoginAttempt.at >= now - window)
            .order_by(LoginAttempt.at.desc())
            .limit(limit)
        ).all()
        if len(latest) >= limit:
            oldest = latest[-1] if latest[-1].tzinfo else latest[-1].replace(tzinfo=UTC)
            waits.append(max(1, math.ceil((oldest + window - now).total_seconds())))
    return max(waits)


def init_app(app) -> None:
    limiter.init_app(app)
    # The response on_breach built (the error envelope with Retry-After), not a generic 429.
    app.register_error_handler(RateLimitExceeded, lambda error: error.response or _too_many(60))
