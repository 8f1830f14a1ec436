"""The demo school shows a school mid-year whenever it is built (issue 14): groups with a term of
running records (not 0% fidelity), finished blocks with exit data and outcomes ("moved ≥ 1 step"
not empty), one group past its review rather than all of them, concerns open and closed, and
every record one a tablet's push would have been accepted with."""

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from schemas.sen import today_in_london
from server.demo.school import PASSWORD
from server.extensions import db
from server.models import Entry, Group, PassportField, Pupil
from sync.push.rosters import load_runs, session_problems
from sync.templates import check_answers
from tests.support import ApiClient


@pytest.fixture
def demo(app, runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "session records" in result.output
    client = ApiClient(app.test_client())
    client.login("senco@meadowbank.demo", PASSWORD)
    return client


def _map(client) -> dict:
    response = client.get("/api/v1/provision-map")
    assert response.status_code == 200
    return response.get_json()


def test_groups_have_a_term_of_running_records(demo):
    rows = _map(demo)["groups"]
    started = [r for r in rows if r["sessions_planned"] >= 3]
    assert len(started) >= 8
    for row in started:
        assert 75 <= row["fidelity_pct"] <= 100, (row["group"], row["fidelity_pct"])
        assert 70 <= row["attendance_pct"] <= 100, row["group"]
        assert row["voice_trend"], row["group"]


def test_finished_blocks_carry_exit_data_outcomes_and_steps(demo):
    body = _map(demo)
    ended = [r for r in body["groups"] if not r["active"]]
    assert ended and all(r["ended_on"] for r in ended)
    for row in ended:
        assert all(p["exit"] and p["outcome_words"] and p["left_on"] for p in row["pupils"])
    measured = [p for p in body["totals"]["progress"].values() if p["counted"]]
    assert sum(p["moved"] for p in measured) >= 4
    assert body["by_class"]["school"]["moved"] >= 4


def test_one_group_is_past_its_review_not_all_of_them(demo):
    prompts = demo.get("/api/v1/reviews/due").get_json()
    prompts = prompts if isinstance(prompts, list) else prompts["prompts"]
    overdue = [p for p in prompts if p["kind"] == "group_review_overdue"]
    assert len(overdue) == 1


def test_a_concern_is_open_and_another_was_dealt_with(demo):
    concerns = demo.get("/api/v1/concerns/").get_json()
    assert sorted(c["status"] for c in concerns) == ["closed", "open"]


def test_register_pupils_have_a_parent_conversation_and_half_a_written_passport(app, demo):
    with app.app_context():
        register = [p for p in db.session.scalars(select(Pupil)) if p.sen_provision in ("K", "E")]
        talked = {
            e.core["pupil_id"]
            for e in db.session.scalars(select(Entry).where(Entry.kind == "conversation"))
        }
        written = set(db.session.scalars(select(PassportField.pupil_id)))
    assert register and talked == {p.id for p in register}
    assert len(register) // 3 <= len(written) <= len(register) // 2 + 1
    some = next(iter(written))
    passport = demo.get(f"/api/v1/pupils/{some}/passport").get_json()
    assert any(f.get("value") for f in passport["fields"].values()), passport["fields"]


def test_every_demo_record_is_one_a_push_would_accept(app, demo):
    with app.app_context():
        entries = db.session.scalars(select(Entry)).all()
        assert {e.kind for e in entries} == {"session_record", "pupil_voice", "conversation"}
        sessions = [e for e in entries if e.kind == "session_record"]
        runs = load_runs(db.session, {e.group_id for e in sessions})
        for entry in sessions:
            assert session_problems(runs[entry.group_id], entry.core) == {}, entry.core
            assert entry.date < today_in_london()  # today is left for the user to record
        for entry in entries:
            payload = {
                "template_id": entry.template_id,
                "template_version": entry.template_version,
                "kind": entry.kind,
                "core": entry.core,
                "answers": entry.answers,
            }
            assert check_answers(db.session, entry.school_id, payload) == {}


def test_a_ta_records_todays_session_and_the_map_counts_it(app, demo):
    """The demo's dates sit around today, so a running group takes today's session."""
    row = next(r for r in _map(demo)["groups"] if r["active"] and r["group"].startswith("Talk"))
    with app.app_context():
        group = db.session.get(Group, row["group_id"])
        ta_email = group.staff[0].email
    ta = ApiClient(app.test_client())
    ta.login(ta_email, PASSWORD)
    today = today_in_london().isoformat()
    present = [p["pupil_id"] for p in row["pupils"] if not p["left_on"]]
    op = {
        "op_id": str(uuid.uuid4()),
        "device_seq": 1,
        "type": "entry",
        "entry": {
            "entry_id": str(uuid.uuid4()),
            "kind": "session_record",
            "template_id": "session-record",
            "template_version": 1,
            "recorded_at": datetime.now(UTC).isoformat(),
            "core": {
                "date": today,
                "group_id": row["group_id"],
                "minutes_delivered": 30,
                "delivered_as_planned": True,
                "attendance": [{"pupil_id": p, "status": "present"} for p in present],
            },
        },
    }
    pushed = ta.post("/api/v1/sync/push", json={"device_id": "demo-test", "ops": [op]})
    assert [r["status"] for r in pushed.get_json()["results"]] == ["accepted"]
    after = next(r for r in _map(demo)["groups"] if r["group_id"] == row["group_id"])
    assert after["sessions_delivered"] == row["sessions_delivered"] + 1
