"""Pupil mode enforced by the server (DESIGN §3): a staff login handed to one pupil.

Entering pupil mode, the app sets a cookie naming a ticket, the pupil and a check value derived
from the staff PIN. The ticket is one the server signed at the device's last login or profile
read (`ticket_for`), so a device with no connection can enter pupil mode too: the cookie goes
with whatever request the device makes first, an address typed into the browser included, and
that request starts the grant (`load`). From then on the login is suspended: it may add that
pupil's voice entry and drawing until the grant expires, and nothing else, until the app sends
the key that only the PIN derives (`end`). A ticket starts one grant, once.
"""

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

from flask import current_app, g, request
from flask_smorest import abort
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import select

from server.extensions import db
from server.models import LoginSession, Pupil, PupilModeGrant, audit
from server.models.scope import visible_pupil_ids
from server.policy import pupil_mode_allows

COOKIE = "send_pupil_mode"
SUSPENDED = (
    "This device is in pupil mode. A member of staff must leave pupil mode with the PIN first."
)
WRONG_PIN = "That PIN is not right. Pupil mode stays on."


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="pupil-mode")


def ticket_for(login: LoginSession) -> str:
    """A fresh ticket for this login: good for one grant, while the login lasts."""
    return _serializer().dumps({"l": login.token_hash[:32], "t": secrets.token_hex(16)})


def load(login: LoginSession) -> None:
    """Before each request of a signed-in device: start a grant its cookie asks for, then
    refuse whatever an active grant does not allow."""
    g.pupil_grant = None
    if login.pupil_grant_id is not None:
        g.pupil_grant = db.session.get(PupilModeGrant, login.pupil_grant_id)
    elif request.cookies.get(COOKIE):
        g.pupil_grant = _start_from_cookie(login, request.cookies[COOKIE])
    grant = g.pupil_grant
    if grant is None or not request.path.startswith("/api/"):
        return
    live = _aware(grant.expires_at) > _now()
    if not pupil_mode_allows(request.method, request.path, _body(), grant.pupil_id, live):
        abort(403, message=SUSPENDED)


def _body():
    return request.get_json(silent=True) if request.is_json else None


def _start_from_cookie(login: LoginSession, value: str) -> PupilModeGrant | None:
    """A malformed, foreign or spent cookie is ignored: it can only be the app's own leftover."""
    ticket, _, rest = value.partition("~")
    pupil, _, check = rest.partition("~")
    if not pupil.isdigit() or len(pupil) > 12:
        return None
    nonce = _ticket_nonce(login, ticket)
    if nonce is None:
        return None
    return start(login, int(pupil), check or None, nonce)


def _ticket_nonce(login: LoginSession, ticket: str) -> str | None:
    """The nonce of an unspent ticket this login was given, else None."""
    try:
        data = _serializer().loads(
            ticket, max_age=current_app.config["SESSION_LIFETIME_HOURS"] * 3600
        )
    except BadData:
        return None
    if not isinstance(data, dict) or data.get("l") != login.token_hash[:32]:
        return None
    nonce = data.get("t")
    spent = db.session.scalar(select(PupilModeGrant.id).where(PupilModeGrant.ticket == nonce))
    return None if spent or not isinstance(nonce, str) else nonce


def start(login: LoginSession, pupil_id: int, check: str | None, nonce: str | None = None):
    """Start a grant for `pupil_id`, or None if the pupil is not this login's to hand over.
    Online the login itself is the proof; offline (`nonce`) it is the ticket's."""
    staff = login.staff
    if not _pupil_in_scope(staff, pupil_id) or not _valid_check(check):
        return None
    grant = PupilModeGrant(
        school_id=staff.school_id,
        staff_id=staff.id,
        pupil_id=pupil_id,
        login_hash=login.token_hash,
        device_id=login.device_id or request.headers.get("X-Device-Id", "")[:64] or None,
        ticket=nonce,
        resume_check=check,
        expires_at=_now() + timedelta(minutes=current_app.config["PUPIL_MODE_MINUTES"]),
    )
    db.session.add(grant)
    db.session.flush()
    login.pupil_grant_id = grant.id
    audit.record(db.session, "pupil_mode_start", "pupils", pupil_id, school_id=staff.school_id)
    db.session.commit()
    return grant


def _pupil_in_scope(staff, pupil_id: int) -> bool:
    return bool(
        db.session.scalar(
            select(Pupil.id).where(
                Pupil.id == pupil_id,
                Pupil.school_id == staff.school_id,
                Pupil.id.in_(visible_pupil_ids(staff)),
            )
        )
    )


def _valid_check(check: str | None) -> bool:
    return check is None or (len(check) == 64 and all(c in "0123456789abcdef" for c in check))


def end(login: LoginSession, key: str | None) -> None:
    """Give the login back: the key must hash to the grant's check (the PIN derived it)."""
    grant = g.get("pupil_grant")
    if grant is None:
        return
    if grant.resume_check:
        try:
            digest = hashlib.sha256(bytes.fromhex(key or "")).hexdigest()
        except ValueError:
            digest = ""
        if not hmac.compare_digest(digest, grant.resume_check):
            abort(403, message=WRONG_PIN, errors={"resume_key": [WRONG_PIN]})
    grant.ended_at, grant.ended_by = _now(), "pin"
    login.pupil_grant_id = None
    audit.record(db.session, "pupil_mode_end", "pupils", grant.pupil_id, school_id=grant.school_id)
    g.pupil_grant = None
