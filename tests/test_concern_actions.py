"""Acting on a safeguarding concern: read it in words with the pupil's answers in context,
record what was done (each action an audited write), close it only once something is
recorded; the home screen's counts name no pupil."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import AuditEvent, Concern, Staff
from tests.sync_support import add_test_templates, voice_op
from tests.test_sync_push import push


@pytest.fixture
def home(app, world):
    with app.app_context():
        add_test_templates(world["home"]["school"])
    return world["home"]


@pytest.fixture
def concern(api, home):
    push(api("ta"), [voice_op(1, home["pupils"][0], feel_safe="not_safe")])
    return api("senco").get("/api/v1/concerns/").get_json()[0]


def test_a_concern_reads_in_words_with_the_answer_in_context(api, home, concern):
    assert concern["pupil_name"] == "Pupil1 Homeson" and concern["year_group"] == "4"
    assert concern["headline"] == "Answered “Not safe” to “Do you feel safe at school?”"
    assert (concern["entry_kind"], concern["recorded_by"]) == ("pupil_voice", "Home Ta")
    one = api("senco").get(f"/api/v1/concerns/{concern['id']}").get_json()
    assert [(c["answer"], c["raised"]) for c in one["context"]] == [
        ("Happy", False),
        ("Not safe", True),
    ]
    assert one["actions"] == []


def test_open_concerns_come_first_newest_first(api, home):
    pupils = home["pupils"]
    push(api("ta"), [voice_op(i + 1, p, feel_safe="worried") for i, p in enumerate(pupils[:1])])
    push(api("ta"), [voice_op(9, pupils[3], feel_safe="worried")], device="ta-tablet-2")
    senco = api("senco")
    first, second = senco.get("/api/v1/concerns/").get_json()
    senco.post(f"/api/v1/concerns/{first['id']}/actions", json={"action": "spoke_to_pupil"})
    senco.patch(f"/api/v1/concerns/{first['id']}", json={"status": "closed"})
    listed = senco.get("/api/v1/concerns/").get_json()
    assert [(c["id"], c["status"]) for c in listed] == [
        (second["id"], "open"),
        (first["id"], "closed"),
    ]


def test_each_action_is_kept_with_its_note_and_audited(app, api, concern):
    senco = api("senco")
    path = f"/api/v1/concerns/{concern['id']}"
    made = senco.post(f"{path}/actions", json={"action": "spoke_to_pupil", "note": "At lunch"})
    assert made.status_code == 201
    referred = senco.post(f"{path}/actions", json={"action": "social_care", "note": "Ref 123"})
    actions = referred.get_json()["actions"]
    assert [(a["words"], a["note"], a["taken_by"]) for a in actions] == [
        ("Spoke to the pupil", "At lunch", "Home Senco"),
        ("Referred to children's social care", "Ref 123", "Home Senco"),
    ]
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.resource.in_(("concern_actions", "concerns")))
        ).all()
    created = [e for e in events if e.resource == "concern_actions" and e.action == "create"]
    assert {e.resource_id for e in created} == {str(a["id"]) for a in actions}
    reads = [e for e in events if e.resource == "concerns" and e.resource_id == str(concern["id"])]
    assert len(reads) >= 2  # every answer that carries the concern is a read, audited


@pytest.mark.parametrize(
    "body,field,message",
    [
        ({"action": "no_further_action"}, "note", "Say in the note what was done and why."),
        ({"action": "other", "note": "   "}, "note", "Say in the note what was done and why."),
        ({"action": "spoke_to_pupil", "note": "x" * 5001}, "note", "At most 5000 characters."),
        ({"action": "shrugged"}, "action", None),
        ({"note": "No action named"}, "action", None),
    ],
)
def test_bad_actions_are_refused_with_a_field_message(api, concern, body, field, message):
    refused = api("senco").post(f"/api/v1/concerns/{concern['id']}/actions", json=body)
    assert refused.status_code == 422
    if message:
        assert refused.get_json()["errors"][field] == [message]
    else:
        assert field in refused.get_json()["errors"]


def test_closing_needs_something_recorded(api, concern):
    senco, path = api("senco"), f"/api/v1/concerns/{concern['id']}"
    refused = senco.patch(path, json={"status": "closed"})
    assert refused.status_code == 422 and "status" in refused.get_json()["errors"]
    senco.post(
        f"{path}/actions", json={"action": "no_further_action", "note": "Misread the question"}
    )
    closed = senco.patch(path, json={"status": "closed"})
    assert closed.status_code == 200 and closed.get_json()["status"] == "closed"


def test_a_dsl_who_teaches_acts_and_nobody_else_does(app, api, home, concern):
    with app.app_context():
        db.session.get(Staff, home["staff"]["teacher"]["id"]).is_dsl = True
        db.session.commit()
    body = {"action": "monitoring", "note": "Check in each morning"}
    assert (
        api("teacher").post(f"/api/v1/concerns/{concern['id']}/actions", json=body).status_code
        == 201
    )
    for role in ("admin", "ta", "viewer"):
        assert (
            api(role).post(f"/api/v1/concerns/{concern['id']}/actions", json=body).status_code
            == 403
        )
    other = api("senco", school="other")
    assert other.post(f"/api/v1/concerns/{concern['id']}/actions", json=body).status_code == 404
    assert api("senco").get("/api/v1/concerns/99999999999").status_code == 404


def test_the_summary_counts_those_waiting_over_a_day_and_names_nobody(app, api, home, concern):
    senco = api("senco")
    assert senco.get("/api/v1/concerns/summary").get_json()["waiting_over_a_day"] == 0
    with app.app_context():
        db.session.get(Concern, concern["id"]).raised_at = datetime.now(UTC) - timedelta(hours=25)
        db.session.commit()
    summary = senco.get("/api/v1/concerns/summary").get_json()
    assert (summary["open"], summary["waiting_over_a_day"]) == (1, 1)
    assert set(summary) == {"open", "waiting_over_a_day", "oldest_open_raised_at"}
    assert api("teacher").get("/api/v1/concerns/summary").status_code == 403
