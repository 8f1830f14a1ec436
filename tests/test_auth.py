"""Login, logout, the server-side session, the rate limit and CSRF on every state-changing route."""

import tempfile
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from flask import url_for
from sqlalchemy import func, select

from server import create_app
from server.extensions import db
from server.models import AuditEvent, LoginAttempt, LoginSession
from tests.support import ApiClient
from tests.test_errors import assert_envelope

LOGIN = "/api/v1/auth/login"
ME = "/api/v1/me"


def fresh(app) -> ApiClient:
    """A client with a pre-login CSRF token and no session."""
    return ApiClient(app.test_client())


def try_login(app, email, password, client=None):
    client = client or fresh(app)
    return client.post(LOGIN, json={"email": email, "password": password})


def email_of(world, role="senco", school="home"):
    return world[school]["staff"][role]["email"]


def sessions_of(app, staff_id) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count()).select_from(LoginSession).where(LoginSession.staff_id == staff_id)
        )


def expire_all_sessions(app) -> None:
    with app.app_context():
        for login in db.session.scalars(select(LoginSession)):
            login.expires_at = datetime.now(UTC) - timedelta(seconds=1)
        db.session.commit()


# --- logging in -------------------------------------------------------------------------------


def test_login_returns_profile_and_a_new_csrf_token(app, world):
    client = fresh(app)
    before = client.csrf
    response = try_login(app, email_of(world), world.password, client)
    assert response.status_code == 200
    body = response.get_json()
    assert body["staff"]["email"] == email_of(world)
    assert body["staff"]["role"] == "senco"
    assert body["school"]["id"] == world["home"]["school"]
    assert body["csrf_token"] and body["csrf_token"] != before
    assert "password" not in body["staff"]


def test_pre_login_token_stops_working_after_login(app, world):
    client = fresh(app)
    before = client.csrf
    try_login(app, email_of(world), world.password, client)
    response = client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": before})
    assert_envelope(response, 403)


def test_session_cookie_is_httponly_and_samesite(app, world):
    response = try_login(app, email_of(world), world.password)
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert "httponly" in attributes
    assert "samesite=lax" in cookie.lower()


def test_email_is_matched_case_insensitively(app, world):
    assert try_login(app, email_of(world).upper(), world.password).status_code == 200


@pytest.mark.parametrize("who", ["wrong password", "unknown email"])
def test_bad_credentials_get_the_same_401(app, world, who):
    email, password = (
        (email_of(world), "not the password")
        if who == "wrong password"
        else ("nobody@home.example.org", world.password)
    )
    response = try_login(app, email, password)
    body = assert_envelope(response, 401)
    assert body["message"] == "Email or password is not right."
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LoginSession)) == 0


def test_retry_after_says_when_the_lock_lifts(app, world):
    """Five failures, the oldest ten minutes into a fifteen-minute window: five minutes to go."""
    now = datetime.now(UTC)
    with app.app_context():
        db.session.add_all(
            LoginAttempt(
                email=email_of(world),
                ip="192.0.2.9",
                succeeded=False,
                at=now - timedelta(minutes=m),
            )
            for m in (10, 8, 6, 4, 2)
        )
        db.session.commit()
    locked = try_login(app, email_of(world), world.password)
    body = assert_envelope(locked, 429)
    assert 290 <= int(locked.headers["Retry-After"]) <= 300
    assert body["message"] == "Too many failed logins. Try again in 5 minutes."
    with app.app_context():  # once the oldest has left the window, four remain: not locked
        oldest = db.session.scalar(select(LoginAttempt).order_by(LoginAttempt.at).limit(1))
        oldest.at = now - timedelta(minutes=16)
        db.session.commit()
    assert try_login(app, email_of(world), world.password).status_code == 200


def test_inactive_staff_cannot_log_in(app, world, api):
    staff_id = world["home"]["staff"]["ta"]["id"]
    assert (
        api("admin").patch(f"/api/v1/staff/{staff_id}", json={"active": False}).status_code == 200
    )
    body = assert_envelope(try_login(app, email_of(world, "ta"), world.password), 401)
    assert body["message"] == "Email or password is not right."


def test_five_failures_lock_the_email_even_for_the_right_password(app, world):
    for _ in range(5):
        assert try_login(app, email_of(world), "wrong").status_code == 401
    locked = try_login(app, email_of(world), "wrong")
    assert_envelope(locked, 429)
    assert int(locked.headers["Retry-After"]) > 0
    still = try_login(app, email_of(world), world.password)
    assert_envelope(still, 429)
    assert "Retry-After" in still.headers
    # Another account is not locked by these failures.
    assert try_login(app, email_of(world, "ta"), world.password).status_code == 200


def test_lock_lifts_when_the_window_has_passed(app, world):
    for _ in range(5):
        try_login(app, email_of(world), "wrong")
    later = datetime.now(UTC) + timedelta(minutes=16)
    with mock.patch("server.auth._now", return_value=later):
        assert try_login(app, email_of(world), world.password).status_code == 200


def _a_school_behind_one_proxy(app, world) -> int:
    """20 failed logins by 7 people on 7 machines, then someone else logs in from an 8th:
    the answer's status. nginx passes every request on from its own address."""
    for n in range(20):
        client = fresh(app)
        client.client.environ_base["REMOTE_ADDR"] = "10.0.0.2"  # nginx
        client.client.environ_base["HTTP_X_FORWARDED_FOR"] = f"192.168.1.{n // 3 + 10}"
        email = f"mistyped{n // 3}@home.example.org"
        assert try_login(app, email, "wrong", client).status_code == 401
    client = fresh(app)
    client.client.environ_base.update(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.168.1.99")
    return try_login(app, email_of(world, "ta"), world.password, client).status_code


def test_behind_a_proxy_failures_count_per_machine_not_for_the_whole_school(app, world):
    proxied = create_app({**app.config, "PROXY_HOPS": 1})
    try:
        assert _a_school_behind_one_proxy(proxied, world) == 200
        with proxied.app_context():
            addresses = set(db.session.scalars(select(LoginAttempt.ip)))
    finally:
        with proxied.app_context():
            db.engine.dispose()  # its own pool: left open, PostgreSQL's connection leaks
    assert "10.0.0.2" not in addresses and "192.168.1.99" in addresses


def test_without_proxy_hops_a_forwarded_address_is_not_believed(app, world):
    # Anyone can send X-Forwarded-For; served directly, believing it would dodge the limit.
    assert _a_school_behind_one_proxy(app, world) == 429


# --- the session ------------------------------------------------------------------------------


def test_me_returns_role_and_school(api, world):
    body = api("ta", school="other").get(ME).get_json()
    assert body["staff"]["role"] == "ta"
    assert body["staff"]["id"] == world["other"]["staff"]["ta"]["id"]
    assert body["school"] == {
        "id": world["other"]["school"],
        "name": "Other Academy",
        "dfe_number": "8212002",
    }


def test_me_without_login_is_401(client):
    assert_envelope(client.get(ME), 401)


def test_logout_ends_the_server_side_session(api, world, app):
    senco = api("senco")
    cookie = senco.client.get_cookie("session").value
    assert senco.post("/api/v1/auth/logout").status_code == 204
    assert sessions_of(app, world["home"]["staff"]["senco"]["id"]) == 0
    replay = app.test_client()
    replay.set_cookie("session", cookie)
    assert_envelope(replay.get(ME), 401)


def test_expired_session_is_refused(api, world, app):
    senco = api("senco")
    expire_all_sessions(app)
    assert_envelope(senco.get(ME), 401)


def test_expired_session_write_says_log_in_again(api, app):
    """An offline device coming back with a dead session must learn to log in, not retry."""
    senco = api("senco")
    expire_all_sessions(app)
    assert_envelope(senco.post("/api/v1/terms/", json={}), 401)


@pytest.mark.parametrize(
    "change", [{"password": "a brand new password"}, {"active": False}, {"role": "viewer"}]
)
def test_staff_changes_by_admin_end_their_sessions(api, world, app, change):
    ta = api("ta")
    staff_id = world["home"]["staff"]["ta"]["id"]
    assert ta.get(ME).status_code == 200
    response = api("admin").patch(f"/api/v1/staff/{staff_id}", json=change)
    assert response.status_code == 200, response.get_json()
    assert_envelope(ta.get(ME), 401)
    assert sessions_of(app, staff_id) == 0


def test_harmless_staff_change_keeps_sessions(api, world):
    ta = api("ta")
    staff_id = world["home"]["staff"]["ta"]["id"]
    api("admin").patch(f"/api/v1/staff/{staff_id}", json={"job_title": "HLTA"})
    assert ta.get(ME).status_code == 200


def test_new_password_works_and_old_one_does_not(api, world, app):
    staff_id = world["home"]["staff"]["ta"]["id"]
    api("admin").patch(f"/api/v1/staff/{staff_id}", json={"password": "a brand new password"})
    assert try_login(app, email_of(world, "ta"), world.password).status_code == 401
    assert try_login(app, email_of(world, "ta"), "a brand new password").status_code == 200


# --- CSRF on every state-changing route -------------------------------------------------------


def _unsafe_rules():
    """(method, endpoint) for every write route under /api/, read from a throwaway app."""
    with (
        tempfile.TemporaryDirectory() as instance,
        mock.patch.dict("os.environ", {"INSTANCE_PATH": instance, "SECRET_KEY": "x"}),
    ):
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return sorted(
        (method, rule.endpoint)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in rule.methods & {"POST", "PUT", "PATCH", "DELETE"}
    )


def _url_values(endpoint: str, arguments, home: dict) -> dict:
    """A real id for each argument of the rule, from the home school's world."""
    blueprint = endpoint.split(".")[0]
    item_ids = {
        "pupils": home["pupils"][0],
        "classes": home["spare"]["class"],
        "terms": home["spare"]["term"],
        "staff": home["staff"]["ta"]["id"],
        "interventions": home["spare"]["intervention"],
        "groups": home["spare"]["group"],
        "enrolments": home["enrolments"][0],
    }
    known = {
        "item_id": item_ids.get(blueprint, 1),
        "template_id": "lw-ta-deployment",
        "sha256": "0" * 64,
    }
    return {name: known.get(name, 1) for name in arguments}


def _unsafe_url(app, world, method, endpoint):
    rule = next(r for r in app.url_map.iter_rules(endpoint) if method in r.methods)
    with app.test_request_context():
        return url_for(endpoint, **_url_values(endpoint, rule.arguments, world["home"]))


def audit_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEvent))


@pytest.mark.parametrize("token", [None, "wrong-token"])
@pytest.mark.parametrize("method,endpoint", _unsafe_rules())
def test_every_write_needs_the_csrf_token(api, app, world, method, endpoint, token):
    admin = api("admin")
    url = _unsafe_url(app, world, method, endpoint)
    headers = {"X-CSRF-Token": token} if token else {}
    before = audit_count(app)
    response = admin.client.open(url, method=method, json={}, headers=headers)
    body = assert_envelope(response, 403)
    assert "CSRF" in body["message"]
    assert audit_count(app) == before
    assert admin.get(ME).status_code == 200, "the session survives a refused write"


def test_csrf_rules_cover_login_and_logout():
    endpoints = {endpoint for _, endpoint in _unsafe_rules()}
    assert {"auth.Login", "auth.Logout", "pupils.Collection", "sync.Push"} <= endpoints


def test_login_without_csrf_token_is_refused(app, world):
    client = app.test_client()
    response = client.post(LOGIN, json={"email": email_of(world), "password": world.password})
    assert_envelope(response, 403)


def test_a_token_from_another_session_is_refused(api):
    senco, teacher = api("senco"), api("teacher")
    response = senco.post("/api/v1/auth/logout", headers={"X-CSRF-Token": teacher.csrf})
    assert_envelope(response, 403)
    assert senco.get(ME).status_code == 200


def test_csrf_token_is_stable_within_a_session(api):
    senco = api("senco")
    assert senco.get("/api/v1/auth/csrf").get_json()["csrf_token"] == senco.csrf
    assert senco.get(ME).get_json()["csrf_token"] == senco.csrf


def test_non_ascii_csrf_header_is_a_403_not_a_crash(api):
    response = api("senco").post("/api/v1/auth/logout", headers={"X-CSRF-Token": "t\xf6k\xe9n"})
    assert_envelope(response, 403)


def test_after_an_expired_session_the_user_can_log_in_again(api, app, world):
    senco = api("senco")
    expire_all_sessions(app)
    again = ApiClient(senco.client)
    assert again.login(email_of(world), world.password).status_code == 200
    assert again.get(ME).status_code == 200


def test_logging_in_clears_that_users_expired_sessions(api, app, world):
    senco, teacher = api("senco"), api("teacher")
    expire_all_sessions(app)
    senco_id = world["home"]["staff"]["senco"]["id"]
    teacher_id = world["home"]["staff"]["teacher"]["id"]
    assert ApiClient(senco.client).login(email_of(world), world.password).status_code == 200
    assert sessions_of(app, senco_id) == 1  # only the new one
    assert sessions_of(app, teacher_id) == 1  # another user's are theirs to clear
    assert teacher.get(ME).status_code == 401
