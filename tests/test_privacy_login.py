"""Login hardening (issue 15, point 4): strong passwords, limits per address, account and known
device with progressive waits, and an optional TOTP second factor a school can require."""

from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from server.extensions import db
from server.models import LoginAttempt
from tests.support import ApiClient
from tests.test_errors import assert_envelope

LOGIN = "/api/v1/auth/login"


def fresh(app, address="203.0.113.7") -> ApiClient:
    client = ApiClient(app.test_client())
    client.client.environ_base["REMOTE_ADDR"] = address
    return client


def attempt(client, email, password, **extra):
    return client.post(LOGIN, json={"email": email, "password": password, **extra})


@pytest.mark.parametrize("weak", ["aaaaaaaaaa", "1234567890", "password12", "Summer2026!"])
def test_weak_passwords_are_refused_in_plain_words(api, world, weak):
    response = api("admin").post(
        "/api/v1/staff/",
        json={"name": "New TA", "email": "new.ta@home.example.org", "role": "ta", "password": weak},
    )
    body = assert_envelope(response, 422)
    assert body["errors"]["password"][0].startswith("This password is too easy to guess.")


def test_a_strong_password_is_accepted(api):
    response = api("admin").post(
        "/api/v1/staff/",
        json={
            "name": "New TA",
            "email": "new.ta@home.example.org",
            "role": "ta",
            "password": "heron lantern pebble",
        },
    )
    assert response.status_code == 201, response.get_json()


def test_one_address_cannot_lock_a_known_device_out(app, world):
    """20 wrong logins from the school's one address lock that address; the SENCO's own tablet,
    which logged in before, still gets in with the right password."""
    senco = world["home"]["staff"]["senco"]["email"]
    tablet = fresh(app)
    tablet.login(senco, world.password)
    tablet.post("/api/v1/auth/logout")
    for n in range(20):
        assert attempt(fresh(app), f"guess{n % 4}@home.example.org", "wrong").status_code == 401
    stranger = attempt(fresh(app), world["home"]["staff"]["ta"]["email"], world.password)
    body = assert_envelope(stranger, 429)
    assert "from this network" in body["message"]
    assert 0 < int(stranger.headers["Retry-After"]) <= 15 * 60 + 1
    tablet.csrf = tablet.client.get("/api/v1/auth/csrf").get_json()["csrf_token"]
    assert attempt(tablet, senco, world.password).status_code == 200
    # Another address is not affected at all.
    assert attempt(fresh(app, "198.51.100.4"), senco, world.password).status_code == 200


def test_guessing_at_an_account_does_not_lock_its_known_device(app, world):
    senco = world["home"]["staff"]["senco"]["email"]
    tablet = fresh(app, "192.0.2.10")
    tablet.login(senco, world.password)
    tablet.post("/api/v1/auth/logout")
    for n in range(5):
        attempt(fresh(app, f"198.51.100.{n + 1}"), senco, "wrong")
    assert_envelope(attempt(fresh(app, "198.51.100.9"), senco, world.password), 429)
    tablet.csrf = tablet.client.get("/api/v1/auth/csrf").get_json()["csrf_token"]
    assert attempt(tablet, senco, world.password).status_code == 200
    # The known device has its own few tries: five wrong ones rest it too.
    tablet.post("/api/v1/auth/logout")
    tablet.csrf = tablet.client.get("/api/v1/auth/csrf").get_json()["csrf_token"]
    for _ in range(5):
        assert attempt(tablet, senco, "wrong").status_code == 401
    assert_envelope(attempt(tablet, senco, world.password), 429)


def test_waits_grow_with_more_failures(app, world):
    """Ten failures in the last hour, none in the last 15 minutes: the second tier still rests
    the account until the oldest leaves its hour."""
    senco = world["home"]["staff"]["senco"]["email"]
    now = datetime.now(UTC)
    with app.app_context():
        db.session.add_all(
            LoginAttempt(
                email=senco, ip="192.0.2.1", succeeded=False, at=now - timedelta(minutes=m)
            )
            for m in (55, 50, 45, 40, 35, 30, 25, 20, 17, 16)
        )
        db.session.commit()
    locked = attempt(fresh(app), senco, world.password)
    assert_envelope(locked, 429)
    assert 290 <= int(locked.headers["Retry-After"]) <= 300


def _set_up_factor(client) -> str:
    secret = client.post("/api/v1/auth/second-factor").get_json()["secret"]
    code = pyotp.TOTP(secret).now()
    confirmed = client.post("/api/v1/auth/second-factor/confirm", json={"code": code})
    assert confirmed.get_json()["enabled"] is True
    return secret


def test_totp_second_factor_is_asked_for_checked_and_never_replayed(app, world, api):
    senco = world["home"]["staff"]["senco"]["email"]
    secret = _set_up_factor(api("senco"))
    client = fresh(app)
    asked = assert_envelope(attempt(client, senco, world.password), 401)
    assert "otp" in asked["errors"]
    wrong = assert_envelope(attempt(client, senco, world.password, otp="000000"), 401)
    assert "code is not right" in wrong["message"]
    later = pyotp.TOTP(secret).at(datetime.now(UTC) + timedelta(seconds=30))
    assert attempt(client, senco, world.password, otp=later).status_code == 200
    # The same code cannot be used again.
    replay = attempt(fresh(app, "198.51.100.77"), senco, world.password, otp=later)
    assert_envelope(replay, 401)


def test_only_privileged_roles_set_up_a_second_factor(api):
    assert_envelope(api("ta").post("/api/v1/auth/second-factor"), 403)
    bad = api("senco").post("/api/v1/auth/second-factor/confirm", json={"code": "12ab"})
    assert "code" in assert_envelope(bad, 422)["errors"]


def test_a_school_can_require_the_second_factor(app, world, api):
    admin = api("admin")
    assert (
        admin.put("/api/v1/security/settings", json={"second_factor_required": True}).status_code
        == 200
    )
    assert_envelope(
        api("teacher").put("/api/v1/security/settings", json={"second_factor_required": False}), 403
    )
    senco = api("senco")
    me = senco.get("/api/v1/me").get_json()
    assert me["second_factor"] == {"enabled": False, "required": True, "pending": True}
    assert_envelope(senco.get("/api/v1/pupils/"), 403)
    _set_up_factor(senco)
    assert senco.get("/api/v1/pupils/").status_code == 200
    # A TA is not asked for one.
    assert api("ta").get("/api/v1/pupils/").status_code == 200
    # While required, it cannot be switched off.
    assert_envelope(senco.post("/api/v1/auth/second-factor/off", json={"code": "123456"}), 409)


def test_flask_school_create_refuses_a_weak_admin_password(app, runner):
    args = [
        "school",
        "create",
        "--name",
        "Example Primary",
        "--dfe-number",
        "8251234",
        "--admin-email",
        "office@example.org",
        "--admin-password",
    ]
    weak = runner.invoke(args=[*args, "1234567890"])
    assert weak.exit_code != 0 and "too easy to guess" in weak.output
    strong = runner.invoke(args=[*args, "lantern heron pebble"])
    assert strong.exit_code == 0, strong.output
