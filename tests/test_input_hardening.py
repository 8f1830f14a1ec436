"""Input the databases cannot store, JSON nested past any sane depth, loose numbers and dates
out of range: each is a field-level 4xx (or one rejected op), never a 500."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from schemas.clean import HALF_EMOJI, NUL
from schemas.dates import TOO_EARLY, TOO_LATE
from schemas.entries import SessionRecordCore
from schemas.fast import fast_session_core
from schemas.jsonio import MAX_DEPTH
from schemas.sen import today_in_london
from tests.sync_support import add_test_templates, passport_op, session_op
from tests.test_bad_input import field_errors
from tests.test_errors import assert_envelope
from tests.test_sync_push import DEVICE

HALF = "\ud83d"  # the first half of an emoji's surrogate pair, alone


@pytest.fixture
def home(app, world):
    with app.app_context():
        add_test_templates(world["home"]["school"])
    return world["home"]


def raw_push(client, ops):
    """Push with the body written by the standard library, which can carry a lone surrogate
    as a "\\ud83d" escape (the test client's json= cannot)."""
    body = json.dumps({"device_id": DEVICE, "ops": ops})
    response = client.post("/api/v1/sync/push", data=body, content_type="application/json")
    assert response.status_code == 200, response.get_json()
    return response.get_json()["results"]


def rejected_with(result) -> dict:
    assert result["status"] == "rejected", result
    return result["errors"]


def a_good_and_a_bad_op(home, change):
    """Two session records for the TA's group; `change` spoils the first."""
    pupils = [home["pupils"][0], home["pupils"][3]]
    bad, good = (session_op(seq, home["group"], pupils) for seq in (1, 2))
    change(bad)
    return [bad, good]


# --- text the database cannot store -----------------------------------------------------------


@pytest.mark.parametrize(
    "text,message", [(f"Good focus {HALF}", HALF_EMOJI), ("Good\x00focus", NUL)]
)
def test_unstorable_note_rejects_only_its_op(api, home, text, message):
    ops = a_good_and_a_bad_op(
        home, lambda op: op["entry"]["core"]["attendance"][0].update(note=text)
    )
    bad, good = raw_push(api("ta"), ops)
    assert rejected_with(bad) == {"entry": {"core": {"attendance": {"0": {"note": [message]}}}}}
    assert good["status"] == "accepted"


def test_unstorable_answers_and_keys_are_named(api, home):
    ops = a_good_and_a_bad_op(
        home, lambda op: op["entry"].update(answers={"went_well": "a\x00b", HALF: "x"})
    )
    assert rejected_with(raw_push(api("ta"), ops)[0]) == {"entry": {"answers": [HALF_EMOJI]}}
    ops = a_good_and_a_bad_op(home, lambda op: op["entry"].update(answers={"went_well": "a\x00"}))
    assert rejected_with(raw_push(api("ta"), ops)[0]) == {
        "entry": {"answers": {"went_well": [NUL]}}
    }


@pytest.mark.parametrize("text,message", [("Lego\x00", NUL), (HALF, HALF_EMOJI)])
def test_unstorable_passport_edit_rejects_only_its_op(api, world, text, message):
    pupil = world["home"]["pupils"][0]
    ops = [
        passport_op(1, pupil, "i_enjoy", text, 0),
        passport_op(2, pupil, "what_helps_me", "Lists", 0),
    ]
    bad, good = raw_push(api("teacher"), ops)
    assert rejected_with(bad) == {"passport_edit": {"value": [message]}}
    assert good["status"] == "accepted"


@pytest.mark.parametrize("text,message", [("Sa\x00m", NUL), (f"Sam{HALF}", HALF_EMOJI)])
def test_unstorable_text_is_422_on_rest(api, world, text, message):
    senco, pupil = api("senco"), world["home"]["pupils"][0]
    for path, body, field in [
        (f"/api/v1/pupils/{pupil}", {"forename": text}, "forename"),
        (
            f"/api/v1/pupils/{pupil}/passport",
            {"field": "i_enjoy", "value": text, "base_rev": 0},
            "value",
        ),
        (f"/api/v1/pupils/?q={text}", None, "q"),
    ]:
        if body is None and HALF in text:
            continue  # a URL is UTF-8 on the wire: it cannot carry half an emoji
        if body is None:
            response = senco.get(path)
        else:
            response = senco.patch(path, data=json.dumps(body), content_type="application/json")
        assert field_errors(response, field)[field] == [message]


# --- nesting ------------------------------------------------------------------------------------

DEEP_BODIES = ["[" * 50000, "[" * 50000 + "]" * 50000, '{"a":' * 50000 + "1" + "}" * 50000]


@pytest.mark.parametrize("body", DEEP_BODIES, ids=["open", "closed", "objects"])
def test_deep_nesting_is_400_everywhere(api, world, client, body):
    from tests.support import ApiClient

    pupil = world["home"]["pupils"][0]
    calls = [
        (api("ta"), "post", "/api/v1/sync/push"),
        (ApiClient(client), "post", "/api/v1/auth/login"),
        (api("teacher"), "patch", f"/api/v1/pupils/{pupil}/passport"),
        (api("admin"), "post", "/api/v1/staff/"),
        (api("senco"), "patch", "/api/v1/concerns/1"),
    ]
    for who, method, path in calls:
        response = getattr(who, method)(path, data=body, content_type="application/json")
        assert_envelope(response, 400)


def test_nesting_up_to_the_limit_is_read(api, home):
    def nested(depth):  # the push body and an op already take three levels
        return json.loads("[" * depth + "]" * depth)

    ops = a_good_and_a_bad_op(
        home, lambda op: op["entry"]["answers"].update(went_well=nested(MAX_DEPTH - 5))
    )
    result = raw_push(api("ta"), ops)[0]
    assert "went_well" in rejected_with(result)["entry"]["answers"]  # a template error, not 400
    ops[0]["entry"]["answers"]["went_well"] = nested(MAX_DEPTH)
    response = api("ta").post("/api/v1/sync/push", json={"device_id": DEVICE, "ops": ops})
    assert "nested" in assert_envelope(response, 400)["message"]


def test_get_json_refuses_deep_nesting_too(app):
    with pytest.raises(ValueError):
        app.json.loads("[" * 50000)
    assert app.json.loads('{"a": ["\\"[[[["]}') == {"a": ['"[[[[']}


# --- loose numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change,path",
    [
        (
            lambda op: op["entry"]["core"]["attendance"][0].update(pupil_id=31.5),
            ("entry", "core", "attendance", "0", "pupil_id"),
        ),
        (
            lambda op: op["entry"]["core"]["attendance"][0].update(pupil_id=True),
            ("entry", "core", "attendance", "0", "pupil_id"),
        ),
        (lambda op: op.update(device_seq="1"), ("device_seq",)),
        (
            lambda op: op["entry"]["core"].update(group_id=str(op["entry"]["core"]["group_id"])),
            ("entry", "core", "group_id"),
        ),
        (lambda op: op["entry"].update(template_version=1.0), ("entry", "template_version")),
    ],
)
def test_ids_and_sequence_numbers_are_strict_integers(api, home, change, path):
    bad, good = raw_push(api("ta"), a_good_and_a_bad_op(home, change))
    errors = rejected_with(bad)
    for key in path:
        errors = errors[key]
    assert errors == ["Not a valid integer."]
    assert good["status"] == "accepted"


def test_strict_integers_on_rest_but_query_strings_still_read(api, world):
    senco, home = api("senco"), world["home"]
    pupil, class_id = home["pupils"][0], home["classes"]["mine"]
    field_errors(
        senco.patch(f"/api/v1/pupils/{pupil}", json={"class_id": str(class_id)}), "class_id"
    )
    field_errors(
        api("teacher").patch(
            f"/api/v1/pupils/{pupil}/passport",
            json={"field": "i_enjoy", "value": "Lego", "base_rev": 0.0},
        ),
        "base_rev",
    )
    assert senco.get(f"/api/v1/pupils/?class_id={class_id}").status_code == 200
    field_errors(senco.get("/api/v1/pupils/?class_id=3.5"), "class_id")


def test_the_spec_still_says_integer(client):
    spec = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    assert spec["Pupil"]["properties"]["class_id"]["type"] == "integer"
    assert spec["Push"]["properties"]["device_id"]["type"] == "string"


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "recorded_at,message",
    [
        ("9999-12-31T23:59:59+00:00", TOO_LATE),
        ("1900-01-01T09:00:00+00:00", TOO_EARLY),
        ((datetime.now(UTC) + timedelta(days=2)).isoformat(), TOO_LATE),
    ],
)
def test_recorded_at_is_bounded(api, home, recorded_at, message):
    bad, good = raw_push(
        api("ta"), a_good_and_a_bad_op(home, lambda op: op["entry"].update(recorded_at=recorded_at))
    )
    assert rejected_with(bad) == {"entry": {"recorded_at": [message]}}
    assert good["status"] == "accepted"


@pytest.mark.parametrize(
    "day,message",
    [
        (date(2999, 1, 1), TOO_LATE),
        (date(1999, 12, 31), TOO_EARLY),
        (today_in_london() + timedelta(days=2), TOO_LATE),
    ],
)
def test_entry_date_is_bounded(api, home, day, message):
    bad, good = raw_push(
        api("ta"),
        a_good_and_a_bad_op(home, lambda op: op["entry"]["core"].update(date=day.isoformat())),
    )
    assert rejected_with(bad) == {"entry": {"core": {"date": [message]}}}
    assert good["status"] == "accepted"


@pytest.mark.parametrize("day", [date(2000, 1, 1), today_in_london() + timedelta(days=1)])
def test_entry_dates_at_the_bounds_are_taken(day):
    """At the schemas: the test group runs only in the autumn term."""
    core = session_op(1, 7, [11], day=day)["entry"]["core"]
    loaded = SessionRecordCore().load(core)
    assert fast_session_core(core) == SessionRecordCore().dump(loaded)


def test_date_of_birth_is_not_in_the_future(api, world):
    pupil = world["home"]["pupils"][0]
    tomorrow = (today_in_london() + timedelta(days=1)).isoformat()
    field_errors(api("senco").patch(f"/api/v1/pupils/{pupil}", json={"dob": tomorrow}), "dob")
