"""Push: idempotent per op, per-op results, one bad op never fails its neighbours (DESIGN §5.1)."""

import json

import pytest
from sqlalchemy import func, select

from schemas.entries import PushResultSchema
from server.extensions import db
from server.models import AuditEvent, Entry, SyncOp
from tests.sync_support import add_test_templates, session_op, voice_op

DEVICE = "tablet-0001"
json_text = json.dumps


@pytest.fixture
def home(app, world):
    with app.app_context():
        add_test_templates(world["home"]["school"])
    return world["home"]


def push(client, ops, device=DEVICE):
    response = client.post("/api/v1/sync/push", json={"device_id": device, "ops": ops})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    # The view writes results without dumping them: hold every one to the documented schema.
    assert PushResultSchema().dump(body) == body
    return body["results"]


def count(app, model, *where):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def group_ops(home, n, start=1):
    pupils = [home["pupils"][0], home["pupils"][3]]
    return [session_op(start + i, home["group"], pupils) for i in range(n)]


def test_same_batch_ten_times_stores_each_op_once(app, api, home):
    ta = api("ta")
    ops = group_ops(home, 5)
    first = push(ta, ops)
    assert [r["status"] for r in first] == ["accepted"] * 5
    for _ in range(9):
        again = push(ta, ops)
        assert [r["status"] for r in again] == ["duplicate"] * 5
        assert [(r["entry_id"], r["rev"]) for r in again] == [
            (r["entry_id"], r["rev"]) for r in first
        ]
    assert count(app, Entry) == 5
    assert count(app, SyncOp) == 5


def test_same_op_id_with_a_different_body_is_a_conflict_and_changes_nothing(app, api, home):
    ta = api("ta")
    op = group_ops(home, 1)[0]
    push(ta, [op])
    altered = {
        **op,
        "entry": {**op["entry"], "core": {**op["entry"]["core"], "minutes_delivered": 5}},
    }
    result = push(ta, [altered])[0]
    assert result["status"] == "conflict"
    with app.app_context():
        stored = db.session.scalars(select(Entry)).one()
        assert stored.core["minutes_delivered"] == 30


def test_three_bad_ops_in_fifty_do_not_stop_the_other_47(app, api, home):
    ops = group_ops(home, 50)
    ops[5]["entry"]["core"]["minutes_delivered"] = "half an hour"
    ops[20]["entry"]["core"]["attendance"][0]["status"] = "asleep"
    del ops[41]["entry"]["core"]["group_id"]
    results = push(api("ta"), ops)
    statuses = [r["status"] for r in results]
    assert statuses.count("accepted") == 47
    assert [i for i, s in enumerate(statuses) if s == "rejected"] == [5, 20, 41]
    assert results[5]["errors"]["entry"]["core"]["minutes_delivered"]
    assert results[20]["errors"]["entry"]["core"]["attendance"]["0"]["status"]
    assert results[41]["errors"]["entry"]["core"]["group_id"]
    assert count(app, Entry) == 47


def test_ta_cannot_push_for_a_pupil_outside_their_groups(app, api, home):
    not_mine = home["pupils"][1]
    result = push(api("ta"), [session_op(1, home["group"], [not_mine])])[0]
    assert result["status"] == "rejected"
    assert "not one of your pupils" in str(result["errors"])
    assert count(app, Entry) == 0


def test_another_schools_pupil_and_group_are_refused(app, api, home, world):
    other = world["other"]
    result = push(api("senco"), [session_op(1, other["group"], [other["pupils"][0]])])[0]
    assert result["status"] == "rejected"
    assert set(result["errors"]["entry"]["core"]) == {"pupils", "group_id"}


def test_ta_cannot_record_a_parent_conversation(api, home):
    op = voice_op(1, home["pupils"][0])
    op["entry"]["kind"] = "conversation"
    result = push(api("ta"), [op])[0]
    assert result["status"] == "rejected"
    assert "cannot record conversations with parents" in str(result["errors"])


@pytest.mark.parametrize("role", ["admin", "viewer"])
def test_roles_without_capture_cannot_push(api, home, role):
    response = api(role).post(
        "/api/v1/sync/push", json={"device_id": DEVICE, "ops": group_ops(home, 1)}
    )
    assert response.status_code == 403


def test_correction_makes_a_new_revision_and_a_stale_one_is_a_conflict(app, api, home):
    ta = api("ta")
    op = group_ops(home, 1)[0]
    entry_id = push(ta, [op])[0]["entry_id"]
    fix = session_op(2, home["group"], [home["pupils"][0]], entry_id=entry_id, base_rev=1)
    assert push(ta, [fix])[0] == {
        "op_id": fix["op_id"],
        "status": "accepted",
        "entry_id": entry_id,
        "rev": 2,
    }
    stale = session_op(3, home["group"], [home["pupils"][3]], entry_id=entry_id, base_rev=1)
    result = push(ta, [stale])[0]
    assert result["status"] == "conflict" and result["rev"] == 2
    with app.app_context():
        heads = db.session.scalars(select(Entry).where(Entry.is_head.is_(True))).all()
        assert [(h.rev, h.pupil_ids) for h in heads] == [(2, [home["pupils"][0]])]


def test_a_delete_is_a_tombstone_revision(app, api, home):
    ta = api("ta")
    entry_id = push(ta, group_ops(home, 1))[0]["entry_id"]
    tomb = session_op(
        2, home["group"], [home["pupils"][0]], entry_id=entry_id, base_rev=1, deleted=True
    )
    assert push(ta, [tomb])[0]["rev"] == 2
    assert count(app, Entry, Entry.deleted.is_(True), Entry.is_head.is_(True)) == 1
    assert count(app, Entry) == 2


def test_a_reused_device_seq_is_rejected(api, home):
    ta = api("ta")
    push(ta, group_ops(home, 1, start=7))
    result = push(ta, group_ops(home, 1, start=7))[0]
    assert result["status"] == "rejected" and "device_seq" in result["errors"]


def test_malformed_ops_get_field_messages(api, home):
    results = push(
        api("ta"),
        [
            "not an object",
            {"op_id": "nope", "device_seq": -1, "type": "x"},
            {"op_id": 42, "device_seq": 1, "type": "entry"},
        ],
    )
    assert results[0]["errors"] == {"_schema": ["Each op must be a JSON object."]}
    assert set(results[1]["errors"]) == {"op_id", "device_seq", "type"}
    assert results[2]["op_id"] == "42" and "op_id" in results[2]["errors"]


def test_batch_over_500_ops_is_refused_whole(api, home):
    response = api("ta").post("/api/v1/sync/push", json={"device_id": DEVICE, "ops": [{}] * 501})
    assert response.status_code == 422
    assert "ops" in response.get_json()["errors"]


def test_every_accepted_entry_is_audited_with_device(app, api, home):
    push(api("ta"), group_ops(home, 3))
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.resource == "entries")
        ).all()
    assert len(events) == 3
    assert {e.device_id for e in events} == {DEVICE}
    assert {e.action for e in events} == {"create"}


def test_bodies_the_fast_json_parser_refuses_get_the_standard_answers(api, home):
    ta = api("ta")
    op = group_ops(home, 1)[0]
    huge = json_text({"device_id": DEVICE, "ops": [{**op, "device_seq": 10**30}, "not an op"]})
    response = ta.post("/api/v1/sync/push", data=huge, content_type="application/json")
    assert response.status_code == 200
    first, second = response.get_json()["results"]
    assert first["status"] == "rejected" and "device_seq" in first["errors"]
    assert second["errors"] == {"_schema": ["Each op must be a JSON object."]}
    nan = f'{{"device_id": "{DEVICE}", "ops": [NaN]}}'
    response = ta.post("/api/v1/sync/push", data=nan, content_type="application/json")
    assert response.get_json()["results"][0]["status"] == "rejected"
    response = ta.post(
        "/api/v1/sync/push", data=b'{"device_id": "\xff"}', content_type="application/json"
    )
    assert response.status_code == 400 and response.get_json()["code"]


def test_ids_with_a_trailing_newline_are_refused_not_a_crash(api, home):
    # "$" in a pattern also matches before a final newline; uuid.UUID then raised (a 500).
    op = group_ops(home, 1)[0]
    op["op_id"] += "\n"
    other = group_ops(home, 1, start=2)[0]
    other["entry"]["entry_id"] += "\n"
    results = push(api("ta"), [op, other])
    assert results[0]["status"] == "rejected" and "op_id" in results[0]["errors"]
    assert results[1]["status"] == "rejected" and "entry_id" in results[1]["errors"]["entry"]
