"""Safeguarding routing: 'worried' or 'not safe' raises a concern only the SENCO and DSLs see."""

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import AuditEvent
from tests.sync_support import add_test_templates, session_op, voice_op
from tests.test_sync_push import push


@pytest.fixture
def home(app, world):
    with app.app_context():
        add_test_templates(world["home"]["school"])
    return world["home"]


@pytest.mark.parametrize("answer,raised", [("worried", 1), ("not_safe", 1), ("safe", 0)])
def test_pupil_voice_answer_raises_a_concern(api, home, answer, raised):
    result = push(api("ta"), [voice_op(1, home["pupils"][0], feel_safe=answer)])[0]
    assert result["status"] == "accepted"
    concerns = api("senco").get("/api/v1/concerns/").get_json()
    assert len(concerns) == raised
    if raised:
        assert concerns[0]["pupil_id"] == home["pupils"][0]
        assert answer.replace("_", " ") in concerns[0]["reason"]
        assert concerns[0]["entry_id"] == result["entry_id"]


def test_staff_flag_on_a_session_record_raises_a_concern_for_the_named_pupil(api, home):
    op = session_op(1, home["group"], [home["pupils"][0], home["pupils"][3]])
    op["entry"]["core"].update(
        flagged_concern=True,
        concern_note="Bruise on arm, said a fall",
        concern_pupil_id=home["pupils"][3],
    )
    push(api("ta"), [op])
    concerns = api("senco").get("/api/v1/concerns/").get_json()
    assert [c["pupil_id"] for c in concerns] == [home["pupils"][3]]
    assert "Bruise on arm" in concerns[0]["reason"]


@pytest.mark.parametrize("role", ["admin", "teacher", "ta", "viewer"])
def test_only_senco_and_dsl_see_concerns(api, home, role):
    push(api("ta"), [voice_op(1, home["pupils"][0], feel_safe="worried")])
    assert api(role).get("/api/v1/concerns/").status_code == 403


def test_reading_concerns_is_audited_and_another_school_sees_none(app, api, home):
    push(api("ta"), [voice_op(1, home["pupils"][0], feel_safe="worried")])
    concern = api("senco").get("/api/v1/concerns/").get_json()[0]
    assert api("senco", school="other").get("/api/v1/concerns/").get_json() == []
    assert api("senco", school="other").get(f"/api/v1/concerns/{concern['id']}").status_code == 404
    with app.app_context():
        reads = db.session.scalars(
            select(AuditEvent).where(AuditEvent.resource == "concerns", AuditEvent.action == "read")
        ).all()
    assert reads and reads[0].detail == {"ids": [concern["id"]]}


def test_senco_closes_a_concern_with_notes(api, home):
    push(api("ta"), [voice_op(1, home["pupils"][0], feel_safe="not_safe")])
    senco = api("senco")
    concern = senco.get("/api/v1/concerns/").get_json()[0]
    closed = senco.patch(
        f"/api/v1/concerns/{concern['id']}",
        json={"status": "closed", "notes": "Spoke with parent; no further action"},
    )
    assert closed.status_code == 200 and closed.get_json()["status"] == "closed"
    assert senco.get("/api/v1/concerns/?status=open").get_json() == []
