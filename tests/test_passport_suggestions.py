"""The passport editor's server side: suggestions say whose words they are, a used or dismissed
suggestion is not offered again on any device, a stale edit shows both values beside its
field, and the sharing dates are checked."""

from datetime import timedelta

import pytest

from schemas.sen import today_in_london
from tests.test_passport import conversation, voice
from tests.test_sync_push import push


@pytest.fixture
def pupil(world):
    return world["home"]["pupils"][0]


@pytest.fixture
def suggested(api, pupil):
    push(api("teacher"), [voice(1, pupil, {"feel_school": 4, "enjoy": "Lego and building"})])
    push(
        api("teacher"),
        [conversation(2, pupil, {"parent_perspective": "She is happier since September"})],
    )
    return f"/api/v1/pupils/{pupil}/passport"


def field(passport, name):
    return passport["fields"][name]


def test_suggestions_name_their_question_and_who_spoke(api, suggested):
    passport = api("teacher").get(suggested).get_json()
    enjoy = field(passport, "i_enjoy")["suggestions"][0]
    assert (enjoy["question_id"], enjoy["kind"], enjoy["with"]) == ("enjoy", "pupil_voice", [])
    parents = field(passport, "my_parents_think")["suggestions"][0]
    assert parents["question_id"] == "parent_perspective"
    assert parents["with"] == ["Ms Parent"]  # the parent attendee, not the key teacher


def test_an_accepted_suggestion_is_used_once_and_gone_everywhere(api, suggested):
    teacher = api("teacher")
    offered = field(teacher.get(suggested).get_json(), "i_enjoy")["suggestions"][0]
    ref = {k: offered[k] for k in ("entry_id", "question_id")}
    saved = teacher.patch(
        suggested,
        json={"field": "i_enjoy", "value": "Lego, building", "base_rev": 0, "from_suggestion": ref},
    )
    assert saved.status_code == 200, saved.get_json()
    for reader in (teacher, api("senco")):
        enjoy = field(reader.get(suggested).get_json(), "i_enjoy")
        assert (enjoy["value"], enjoy["suggestions"], enjoy["dismissed"]) == (
            "Lego, building",
            [],
            [],
        )


def test_a_stale_accept_keeps_the_suggestion_offered(api, suggested):
    teacher = api("teacher")
    offered = field(teacher.get(suggested).get_json(), "i_enjoy")["suggestions"][0]
    teacher.patch(suggested, json={"field": "i_enjoy", "value": "Drawing", "base_rev": 0})
    ref = {k: offered[k] for k in ("entry_id", "question_id")}
    stale = api("senco").patch(
        suggested, json={"field": "i_enjoy", "value": "Lego", "base_rev": 0, "from_suggestion": ref}
    )
    assert stale.status_code == 409
    enjoy = field(teacher.get(suggested).get_json(), "i_enjoy")
    assert enjoy["suggestions"] and enjoy["conflicts"][0]["current_value"] == "Drawing"
    assert enjoy["conflicts"][0]["proposed_value"] == "Lego"
    assert enjoy["conflicts"][0]["proposed_by"] == "Home Senco"


def test_a_dismissal_is_kept_for_everyone_and_can_be_undone(app, api, suggested):
    teacher = api("teacher")
    offered = field(teacher.get(suggested).get_json(), "my_parents_think")["suggestions"][0]
    body = {"field": "my_parents_think", **{k: offered[k] for k in ("entry_id", "question_id")}}
    dismissed = teacher.post(f"{suggested}/dismissals", json=body)
    assert dismissed.status_code == 200
    parents = field(api("senco").get(suggested).get_json(), "my_parents_think")
    assert parents["suggestions"] == [] and parents["dismissed"][0]["text"] == offered["text"]
    again = teacher.post(f"{suggested}/dismissals", json=body)
    assert again.status_code == 422 and "question_id" in again.get_json()["errors"]
    back = api("senco").delete(f"{suggested}/dismissals/{parents['dismissed'][0]['dismissal_id']}")
    assert field(back.get_json(), "my_parents_think")["suggestions"][0]["text"] == offered["text"]
    assert api("ta").post(f"{suggested}/dismissals", json=body).status_code == 403
    assert teacher.delete(f"{suggested}/dismissals/99999999999").status_code == 404


def test_the_senco_lists_one_pupils_conflicts(api, suggested, pupil, world):
    api("teacher").patch(suggested, json={"field": "i_enjoy", "value": "Drawing", "base_rev": 0})
    api("senco").patch(suggested, json={"field": "i_enjoy", "value": "Lego", "base_rev": 0})
    mine = api("senco").get(f"/api/v1/passport-conflicts/?pupil_id={pupil}").get_json()
    other = world["home"]["pupils"][1]
    assert len(mine) == 1
    assert api("senco").get(f"/api/v1/passport-conflicts/?pupil_id={other}").get_json() == []


@pytest.mark.parametrize("key", ["shared_with_parent_on", "parent_acknowledged_on"])
def test_sharing_dates_cannot_be_in_the_future(api, suggested, key):
    tomorrow = (today_in_london() + timedelta(days=1)).isoformat()
    refused = api("teacher").patch(suggested, json={key: tomorrow})
    assert refused.status_code == 422
    assert refused.get_json()["errors"][key] == ["Must not be in the future."]


def test_an_edit_value_over_the_limit_says_so_in_words(api, suggested):
    refused = api("teacher").patch(
        suggested, json={"field": "i_enjoy", "value": "x" * 2001, "base_rev": 0}
    )
    assert refused.get_json()["errors"]["value"] == ["At most 2000 characters."]
