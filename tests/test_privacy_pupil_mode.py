"""Pupil mode enforced by the server (issue 15, point 2): while a login is handed to a pupil it
may add that pupil's voice entry and drawing and nothing else, until the key only the staff PIN
derives gives it back; a ticket from the last sync starts the same grant offline."""

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from server.extensions import db
from server.models import AuditEvent, Entry, PupilModeGrant
from tests.sync_support import add_test_templates, voice_op
from tests.test_errors import assert_envelope

KEY = "ab" * 32
CHECK = hashlib.sha256(bytes.fromhex(KEY)).hexdigest()
DEVICE = "pupil-mode-device-1"


@pytest.fixture
def templates(app, world):
    with app.app_context():
        add_test_templates(world["home"]["school"])


def push(client, ops):
    return client.post("/api/v1/sync/push", json={"device_id": DEVICE, "ops": ops})


def entries(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Entry))


def assert_suspended(client, world):
    pupil = world["home"]["pupils"][0]
    for path in (
        "/api/v1/pupils/",
        f"/api/v1/pupils/{pupil}/passport/print",
        "/api/v1/sync/pull",
        "/api/v1/me",
        "/api/v1/docs",
    ):
        body = assert_envelope(client.get(path), 403)
        assert "pupil mode" in body["message"]


def test_a_handed_over_login_adds_only_that_pupils_voice(app, world, api, templates):
    ta = api("ta")
    mine, other = world["home"]["pupils"][0], world["home"]["pupils"][3]
    started = ta.post("/api/v1/pupil-mode", json={"pupil_id": mine, "resume_check": CHECK})
    assert started.status_code == 201 and started.get_json()["pupil_id"] == mine
    assert_suspended(ta, world)
    before = entries(app)
    # Another pupil's voice, or a staff record, is refused whole: nothing is written.
    assert_envelope(push(ta, [voice_op(1, other)]), 403)
    assert_envelope(push(ta, [voice_op(1, mine), voice_op(2, other)]), 403)
    assert entries(app) == before
    accepted = push(ta, [voice_op(1, mine)])
    assert accepted.get_json()["results"][0]["status"] == "accepted"
    # Only the PIN's key gives the login back.
    wrong = ta.post("/api/v1/pupil-mode/end", json={"resume_key": "cd" * 32})
    assert_envelope(wrong, 403)
    assert_suspended(ta, world)
    ended = ta.post("/api/v1/pupil-mode/end", json={"resume_key": KEY})
    assert ended.get_json()["ended"] is True
    assert ta.get("/api/v1/pupils/").status_code == 200
    with app.app_context():
        actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"pupil_mode_start", "pupil_mode_end"} <= actions


def test_the_cookie_from_an_offline_hand_over_suspends_the_login(app, world, api, templates):
    ta = api("ta")
    ticket = ta.get("/api/v1/me").get_json()["pupil_mode_ticket"]
    mine = world["home"]["pupils"][0]
    cookie = f"{ticket}~{mine}~{CHECK}"
    ta.client.set_cookie("send_pupil_mode", cookie)
    assert_suspended(ta, world)
    # Taking the cookie away does not help: the server holds the grant.
    ta.client.delete_cookie("send_pupil_mode")
    assert_suspended(ta, world)
    assert push(ta, [voice_op(1, mine)]).status_code == 200
    assert ta.post("/api/v1/pupil-mode/end", json={"resume_key": KEY}).status_code == 200
    # A spent ticket starts nothing again.
    ta.client.set_cookie("send_pupil_mode", cookie)
    assert ta.get("/api/v1/pupils/").status_code == 200


def test_a_ticket_from_another_login_or_a_bad_cookie_starts_nothing(app, world, api):
    ticket = api("ta").get("/api/v1/me").get_json()["pupil_mode_ticket"]
    other_login = api("ta")
    mine = world["home"]["pupils"][0]
    for cookie in (f"{ticket}~{mine}~{CHECK}", "nonsense", f"{ticket}~x~y"):
        other_login.client.set_cookie("send_pupil_mode", cookie)
        assert other_login.get("/api/v1/pupils/").status_code == 200


def test_an_expired_grant_adds_nothing_but_stays_suspended(app, world, api, templates):
    ta = api("ta")
    mine = world["home"]["pupils"][0]
    ta.post("/api/v1/pupil-mode", json={"pupil_id": mine, "resume_check": CHECK})
    with app.app_context():
        for grant in db.session.scalars(select(PupilModeGrant)):
            grant.expires_at = datetime.now(UTC) - timedelta(seconds=1)
        db.session.commit()
    assert_envelope(push(ta, [voice_op(1, mine)]), 403)
    assert_suspended(ta, world)
    assert ta.post("/api/v1/pupil-mode/end", json={"resume_key": KEY}).status_code == 200


def test_bad_input_and_other_schools_pupils(api, world):
    ta = api("ta")
    other_school = world["other"]["pupils"][0]
    assert_envelope(ta.post("/api/v1/pupil-mode", json={"pupil_id": other_school}), 404)
    not_mine = world["home"]["pupils"][1]  # not in the TA's group
    assert_envelope(ta.post("/api/v1/pupil-mode", json={"pupil_id": not_mine}), 404)
    bad = ta.post("/api/v1/pupil-mode", json={"pupil_id": "one", "resume_check": "xyz"})
    assert set(assert_envelope(bad, 422)["errors"]) == {"pupil_id", "resume_check"}
    assert_envelope(api("viewer").post("/api/v1/pupil-mode", json={"pupil_id": 1}), 403)
    assert ta.get("/api/v1/pupils/").status_code == 200  # nothing was started
