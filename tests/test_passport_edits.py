"""Passport field edits carry base_rev; a stale edit becomes a conflict the SENCO resolves."""

import pytest

from tests.sync_support import passport_op
from tests.test_sync_push import push


@pytest.fixture
def pupil(world):
    return world["home"]["pupils"][0]


def test_edits_in_turn_raise_the_revision(api, pupil):
    teacher = api("teacher")
    first = push(teacher, [passport_op(1, pupil, "i_enjoy", "Lego and drawing", 0)])[0]
    second = push(teacher, [passport_op(2, pupil, "i_enjoy", "Lego, drawing and maths", 1)])[0]
    assert (first["status"], first["rev"], second["rev"]) == ("accepted", 1, 2)


def test_stale_edit_is_kept_as_a_conflict_and_resolved_by_the_senco(api, pupil):
    teacher, senco = api("teacher"), api("senco")
    push(teacher, [passport_op(1, pupil, "what_helps_me", "A visual timetable", 0)])
    push(
        senco,
        [passport_op(1, pupil, "what_helps_me", "Movement breaks", 1)],
        device="senco-tablet-1",
    )
    stale = push(teacher, [passport_op(2, pupil, "what_helps_me", "Quiet corner", 1)])[0]
    assert stale["status"] == "accepted" and stale["conflict_id"]
    conflicts = senco.get("/api/v1/passport-conflicts/").get_json()
    assert [(c["current_value"], c["proposed_value"]) for c in conflicts] == [
        ("Movement breaks", "Quiet corner")
    ]
    resolved = senco.post(
        f"/api/v1/passport-conflicts/{stale['conflict_id']}/resolve",
        json={"choice": "custom", "value": "Movement breaks and a quiet corner"},
    )
    assert resolved.status_code == 200
    assert resolved.get_json()["resolution"] == {"choice": "custom", "rev": 3}
    assert senco.get("/api/v1/passport-conflicts/").get_json() == []


def test_teacher_cannot_see_conflicts_and_ta_cannot_edit(api, pupil):
    assert api("teacher").get("/api/v1/passport-conflicts/").status_code == 403
    result = push(api("ta"), [passport_op(1, pupil, "i_enjoy", "Football", 0)])[0]
    assert result["status"] == "rejected"


def test_unknown_field_is_rejected_with_the_list_of_fields(api, pupil):
    result = push(api("teacher"), [passport_op(1, pupil, "favourite_colour", "Blue", 0)])[0]
    assert result["status"] == "rejected"
    assert "i_enjoy" in result["errors"]["passport_edit"]["field"][0]
