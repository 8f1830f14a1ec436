"""Review prompts as a to-do list: each has a key, and what staff decide about it (done,
snoozed until a day, not needed because ...) is kept on the server for the whole school,
audited, and checked like every other input. The prompts speak people's words."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from schemas.sen import today_in_london
from server.extensions import db
from server.models import AuditEvent, Group
from tests.test_reviews import due, school  # noqa: F401  (fixture)

TODAY = today_in_london()


@pytest.fixture
def overdue(app, world):
    """The TA's group was due for review on 1 November: a prompt for the SENCO, its pupils'
    teacher and the TA who runs it."""
    home = world["home"]
    with app.app_context():
        db.session.get(Group, home["group"]).review_date = date(2026, 11, 1)
        db.session.commit()
    return home


def group_prompt(client, home, today=TODAY):
    found = [
        p
        for p in due(client, today.isoformat())
        if p["kind"] == "group_review_overdue" and p["group_id"] == home["group"]
    ]
    return found[0] if found else None


def decide(client, key, **body):
    return client.post("/api/v1/reviews/decisions", json={"key": key, **body})


def test_a_prompt_done_on_one_device_is_done_for_everyone_and_audited(app, api, overdue):
    prompt = group_prompt(api("ta"), overdue)
    assert prompt["key"] and prompt["decision"] is None
    done = decide(api("ta"), prompt["key"], decision="done")
    assert done.status_code == 201, done.get_json()
    assert done.get_json()["decided_by"] == "Home Ta"
    assert group_prompt(api("senco"), overdue) is None
    assert group_prompt(api("teacher"), overdue) is None
    kept = api("senco").get("/api/v1/reviews/due?include_decided=true").get_json()
    assert [p["decision"]["decision"] for p in kept if p["key"] == prompt["key"]] == ["done"]
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.resource == "review_decisions")
        ).all()
    assert [e.action for e in events] == ["create"]


def test_a_snoozed_prompt_leaves_the_list_until_its_day(api, overdue):
    senco = api("senco")
    prompt = group_prompt(senco, overdue)
    back_on = TODAY + timedelta(days=7)
    assert (
        decide(senco, prompt["key"], decision="snoozed", until=back_on.isoformat()).status_code
        == 201
    )
    assert group_prompt(senco, overdue) is None
    assert group_prompt(senco, overdue, back_on - timedelta(days=1)) is None
    returned = group_prompt(senco, overdue, back_on)
    assert returned["decision"]["decision"] == "snoozed"  # back, and says it was snoozed


def test_not_needed_needs_a_reason_and_undo_brings_it_back(app, api, overdue):
    senco = api("senco")
    prompt = group_prompt(senco, overdue)
    refused = decide(senco, prompt["key"], decision="not_needed", reason="  ")
    assert refused.status_code == 422
    assert refused.get_json()["errors"] == {"reason": ["Say why it is not needed."]}
    kept = decide(senco, prompt["key"], decision="not_needed", reason="Group ended early")
    assert kept.status_code == 201 and kept.get_json()["reason"] == "Group ended early"
    assert group_prompt(senco, overdue) is None
    undone = senco.delete(f"/api/v1/reviews/decisions/{kept.get_json()['id']}")
    assert undone.status_code == 204
    assert group_prompt(senco, overdue)["decision"] is None
    with app.app_context():
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.resource == "review_decisions")
        ).all()
    assert actions == ["create", "delete"]


@pytest.mark.parametrize(
    "body,field,message",
    [
        ({"decision": "snoozed"}, "until", "Choose a day after today."),
        ({"decision": "snoozed", "until": TODAY.isoformat()}, "until", "Choose a day after today."),
        (
            {"decision": "snoozed", "until": (TODAY + timedelta(days=400)).isoformat()},
            "until",
            "Choose a day within a year; for longer, say why it is not needed.",
        ),
        (
            {"decision": "done", "until": (TODAY + timedelta(days=3)).isoformat()},
            "until",
            "Only a snooze has a day to come back.",
        ),
        ({"decision": "not_needed", "reason": "x" * 1001}, "reason", "At most 1000 characters."),
        ({"decision": "forgotten"}, "decision", None),
    ],
)
def test_bad_decisions_are_refused_with_a_field_message(api, overdue, body, field, message):
    prompt = group_prompt(api("senco"), overdue)
    refused = decide(api("senco"), prompt["key"], **body)
    assert refused.status_code == 422
    assert field in refused.get_json()["errors"]
    if message:
        assert refused.get_json()["errors"][field] == [message]


def test_a_key_outside_your_scope_is_no_prompt_of_yours(api, overdue, world):
    prompt = group_prompt(api("senco"), overdue)
    assert decide(api("ta", school="other"), prompt["key"], decision="done").status_code == 422
    assert decide(api("senco"), "made|up|key", decision="done").status_code == 422
    kept = decide(api("senco"), prompt["key"], decision="done").get_json()
    assert (
        api("senco", school="other").delete(f"/api/v1/reviews/decisions/{kept['id']}").status_code
        == 404
    )
    assert api("senco").delete("/api/v1/reviews/decisions/99999999999").status_code == 404


def test_review_text_reads_as_words(api, school):  # noqa: F811
    prompts = due(api("senco"))
    text = " ".join(p["title"] + " " + p["detail"] for p in prompts)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text), text
    assert "(s)" not in text and "entry " not in text
    assert "Sun 1 Nov 2026" in text  # the group's review date
    # An unacknowledged conversation links to the record where the acknowledgement is kept.
    acks = [p for p in prompts if p["title"].startswith("Conversation record")]
    assert acks and all(p["link"].startswith("/api/v1/entries/") for p in acks)
