"""Every bad input gets a clear 4xx with field messages, and nothing is half-written (DESIGN §9)."""

import json

import pytest
from sqlalchemy import func, select

from server.extensions import db
from server.models import AuditEvent, Enrolment, Group, Pupil, PupilNeed, SenProvision, Staff
from tests.test_errors import assert_envelope

VALID_UPN = "P207000016049"
BAD_CHECK_LETTER = "Q207000016049"
TABLES = (Pupil, SenProvision, PupilNeed, Group, Enrolment, Staff, AuditEvent)


def new_pupil(home, **changes) -> dict:
    body = {
        "upn": VALID_UPN,
        "forename": "New",
        "surname": "Starter",
        "dob": "2017-03-01",
        "gender": "F",
        "year_group": "4",
        "class_id": home["classes"]["mine"],
    }
    return {**body, **changes}


def new_group(home, **changes) -> dict:
    body = {
        "intervention_id": home["intervention"],
        "name": "New group",
        "sessions_per_week": 2,
        "minutes_per_session": 20,
        "weeks": 8,
        "ratio": "1:3",
        "start_date": "2026-10-01",
        "funding_source": "notional_sen",
        "staff_ids": [home["staff"]["ta"]["id"]],
    }
    return {**body, **changes}


def new_enrolment(home, **changes) -> dict:
    return {
        "group_id": home["group"],
        "pupil_id": home["pupils"][1],
        "joined_on": "2026-10-01",
        **changes,
    }


def open_k(start="2025-09-03"):
    return {"code": "K", "start_date": start, "end_date": None}


def row_counts(app) -> dict:
    with app.app_context():
        return {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in TABLES}


@pytest.fixture
def senco(api):
    return api("senco")


@pytest.fixture
def admin(api):
    return api("admin")


@pytest.fixture
def unchanged(app):
    """Fails the test if any table's row count changed."""
    before = row_counts(app)
    yield
    assert row_counts(app) == before


def field_errors(response, *fields, code=422) -> dict:
    """An envelope whose errors name exactly these fields, each with messages."""
    errors = assert_envelope(response, code)["errors"]
    assert set(errors) == set(fields), errors
    assert all(errors[f] for f in fields)
    return errors


# --- the body itself --------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ['{"upn": ', "{'single': 'quotes'}", "not json at all", "\xff\xfe"])
def test_malformed_json_is_400_about_json(senco, unchanged, raw):
    response = senco.post("/api/v1/pupils/", data=raw, content_type="application/json")
    body = assert_envelope(response, 400)
    assert "JSON" in body["message"]


@pytest.mark.parametrize("raw", ["[1, 2]", '"a string"', "42", "null"])
def test_json_that_is_not_an_object_is_422(senco, unchanged, raw):
    response = senco.post("/api/v1/terms/", data=raw, content_type="application/json")
    assert_envelope(response, 422)


@pytest.mark.parametrize("content_type", ["application/json", "application/merge-patch+json"])
def test_body_over_the_json_limit_is_413(senco, app, world, unchanged, content_type):
    limit = app.config["MAX_JSON_BYTES"]
    body = json.dumps(new_pupil(world["home"], preferred_name="x" * limit))
    response = senco.post("/api/v1/pupils/", data=body, content_type=content_type)
    assert_envelope(response, 413)


def test_body_under_the_json_limit_is_read(senco, world):
    response = senco.post("/api/v1/pupils/", json=new_pupil(world["home"], preferred_name="Sam"))
    assert response.status_code == 201, response.get_json()


# --- fields -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path,make,field,value",
    [
        ("/api/v1/pupils/", new_pupil, "dob", 12),
        ("/api/v1/pupils/", new_pupil, "eal", "perhaps"),
        ("/api/v1/pupils/", new_pupil, "class_id", "Oak"),
        ("/api/v1/pupils/", new_pupil, "needs", "SLCN"),
        ("/api/v1/groups/", new_group, "sessions_per_week", "three"),
        ("/api/v1/groups/", new_group, "staff_ids", 7),
        ("/api/v1/groups/", new_group, "ratio", "one to six"),
        ("/api/v1/enrolments/", new_enrolment, "joined_on", "next Tuesday"),
        ("/api/v1/enrolments/", new_enrolment, "entry_data", [1, 2]),
    ],
)
def test_wrong_types_are_422_keyed_by_field(senco, world, unchanged, path, make, field, value):
    field_errors(senco.post(path, json=make(world["home"], **{field: value})), field)


def test_every_wrong_field_is_reported_at_once(senco, world, unchanged):
    response = senco.post(
        "/api/v1/groups/", json=new_group(world["home"], weeks=0, name="", start_date="2026-13-01")
    )
    field_errors(response, "weeks", "name", "start_date")


@pytest.mark.parametrize(
    "path,make", [("/api/v1/pupils/", new_pupil), ("/api/v1/groups/", new_group)]
)
def test_unknown_fields_are_named(senco, world, unchanged, path, make):
    response = senco.post(path, json=make(world["home"], colour="blue"))
    assert "Unknown field" in field_errors(response, "colour")["colour"][0]


def test_unknown_field_on_patch_is_named(senco, world, unchanged):
    response = senco.patch(f"/api/v1/pupils/{world['home']['pupils'][0]}", json={"shoe_size": 4})
    field_errors(response, "shoe_size")


def test_dump_only_fields_are_refused(senco, world, unchanged):
    response = senco.patch(
        f"/api/v1/pupils/{world['home']['pupils'][0]}", json={"id": 999, "sen_provision": "E"}
    )
    field_errors(response, "id", "sen_provision")


def test_overlong_email_is_422_not_a_database_error(admin, unchanged):
    email = "a" * 60 + "@" + ".".join(["b" * 60] * 4) + ".org"
    response = admin.post("/api/v1/staff/", json={"name": "Long", "email": email, "role": "ta"})
    field_errors(response, "email")


def test_overlong_login_email_is_422(client, world, app):
    from tests.support import ApiClient

    email = "a" * 60 + "@" + ".".join(["b" * 60] * 4) + ".org"
    response = ApiClient(client).post("/api/v1/auth/login", json={"email": email, "password": "x"})
    field_errors(response, "email")


# --- other schools' ids -----------------------------------------------------------------------


def _other(world, name):
    other = world["other"]
    return {
        "class_id": other["classes"]["mine"],
        "key_teacher_id": other["staff"]["teacher"]["id"],
        "intervention_id": other["intervention"],
        "staff_ids": [other["staff"]["ta"]["id"]],
        "pupil_id": other["pupils"][0],
        "group_id": other["group"],
        "teacher_ids": [other["staff"]["teacher"]["id"]],
    }[name]


@pytest.mark.parametrize(
    "path,make,field",
    [
        ("/api/v1/pupils/", new_pupil, "class_id"),
        ("/api/v1/pupils/", new_pupil, "key_teacher_id"),
        ("/api/v1/groups/", new_group, "intervention_id"),
        ("/api/v1/groups/", new_group, "staff_ids"),
        ("/api/v1/enrolments/", new_enrolment, "pupil_id"),
        ("/api/v1/enrolments/", new_enrolment, "group_id"),
        (
            "/api/v1/classes/",
            lambda home, **c: {"name": "Birch", "year_group": "3", **c},
            "teacher_ids",
        ),
    ],
)
def test_other_schools_ids_in_a_body_are_422(senco, world, unchanged, path, make, field):
    response = senco.post(path, json=make(world["home"], **{field: _other(world, field)}))
    assert "in this school" in field_errors(response, field)[field][0]


@pytest.mark.parametrize(
    "path,field",
    [
        ("pupils", "class_id"),
        ("pupils", "key_teacher_id"),
        ("groups", "intervention_id"),
        ("groups", "staff_ids"),
        ("enrolments", "pupil_id"),
        ("enrolments", "group_id"),
    ],
)
def test_other_schools_ids_in_a_patch_are_422(senco, world, unchanged, path, field):
    home = world["home"]
    item = {
        "pupils": home["pupils"][0],
        "groups": home["group"],
        "enrolments": home["enrolments"][0],
    }[path]
    response = senco.patch(f"/api/v1/{path}/{item}", json={field: _other(world, field)})
    field_errors(response, field)


@pytest.mark.parametrize(
    "path", ["pupils", "groups", "classes", "enrolments", "interventions", "staff", "terms"]
)
def test_other_schools_ids_in_the_url_are_404(admin, world, app, path):
    other = world["other"]
    item = {
        "pupils": other["pupils"][0],
        "groups": other["group"],
        "classes": other["classes"]["mine"],
        "enrolments": other["enrolments"][0],
        "interventions": other["intervention"],
        "staff": other["staff"]["ta"]["id"],
        "terms": other["spare"]["term"],
    }[path]
    assert_envelope(admin.get(f"/api/v1/{path}/{item}"), 404)
    before = row_counts(app)
    assert_envelope(admin.patch(f"/api/v1/{path}/{item}", json={}), 404)
    assert row_counts(app) == before


@pytest.mark.parametrize("item", [0, 2**31, 2**63, 10**30])
def test_ids_out_of_range_in_the_url_are_404(senco, item):
    assert_envelope(senco.get(f"/api/v1/pupils/{item}"), 404)


@pytest.mark.parametrize("value", [2**63, 10**30, -1])
def test_ids_out_of_range_in_a_body_are_422(senco, world, unchanged, value):
    field_errors(
        senco.post("/api/v1/pupils/", json=new_pupil(world["home"], class_id=value)), "class_id"
    )
    field_errors(
        senco.post("/api/v1/groups/", json=new_group(world["home"], staff_ids=[value])), "staff_ids"
    )


@pytest.mark.parametrize("value", [2**63, 10**30])
def test_ids_out_of_range_in_a_query_are_422(senco, value):
    field_errors(senco.get(f"/api/v1/pupils/?class_id={value}"), "class_id")


# --- UPNs -------------------------------------------------------------------------------------


def test_another_schools_upn_is_allowed(senco, world):
    """UPNs are national and follow the pupil: a pupil may move school."""
    upn = world["other"]["upns"][0]
    response = senco.post("/api/v1/pupils/", json=new_pupil(world["home"], upn=upn))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["upn"] == upn


@pytest.fixture
def existing_upn(senco, world) -> str:
    """A home pupil with a valid UPN (the world's own UPNs use made-up LA numbers)."""
    assert senco.post("/api/v1/pupils/", json=new_pupil(world["home"])).status_code == 201
    return VALID_UPN


def test_duplicate_upn_within_a_school_is_409(senco, world, existing_upn, unchanged):
    response = senco.post(
        "/api/v1/pupils/", json=new_pupil(world["home"], upn=existing_upn, forename="Twin")
    )
    field_errors(response, "upn", code=409)


def test_duplicate_upn_on_patch_is_409(senco, world, existing_upn, unchanged):
    response = senco.patch(
        f"/api/v1/pupils/{world['home']['pupils'][1]}", json={"upn": existing_upn.lower()}
    )
    field_errors(response, "upn", code=409)


def test_same_upn_in_both_schools_stays_unique_per_school(api, world):
    for school in ("home", "other"):
        response = api("senco", school).post(
            "/api/v1/pupils/", json=new_pupil(world[school], class_id=None)
        )
        assert response.status_code == 201, response.get_json()


@pytest.mark.parametrize(
    "upn,reason",
    [
        (BAD_CHECK_LETTER, "check letter"),
        ("P20700001604", "13 characters"),
        ("P2070000160491", "13 characters"),
    ],
)
def test_invalid_upn_is_422_on_upn(senco, world, unchanged, upn, reason):
    assert (
        reason
        in field_errors(
            senco.post("/api/v1/pupils/", json=new_pupil(world["home"], upn=upn)), "upn"
        )["upn"][0]
    )


def test_upn_is_tidied_before_it_is_checked(senco, world):
    response = senco.post("/api/v1/pupils/", json=new_pupil(world["home"], upn=" p207000016049 "))
    assert response.status_code == 201 and response.get_json()["upn"] == VALID_UPN


# --- the SEN record ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sen,field",
    [
        (
            {
                "sen_history": [open_k("2024-09-04"), open_k("2025-09-03")],
                "needs": [{"need_type": "SLCN", "rank": 1}],
            },
            "sen_history",
        ),
        ({"sen_history": [open_k()], "needs": []}, "needs"),
        ({"sen_history": [open_k()], "needs": [{"need_type": "SLCN", "rank": 2}]}, "needs"),
        ({"needs": [{"need_type": "SLCN", "rank": 1}, {"need_type": "ASD", "rank": 3}]}, "needs"),
        ({"needs": [{"need_type": "SLCN", "rank": 1}, {"need_type": "ASD", "rank": 1}]}, "needs"),
        (
            {"sen_history": [{"code": "K", "start_date": "2025-09-03", "end_date": "2025-01-01"}]},
            "sen_history",
        ),
    ],
)
def test_broken_sen_records_are_422_and_write_nothing(senco, world, unchanged, sen, field):
    home = world["home"]
    field_errors(senco.post("/api/v1/pupils/", json=new_pupil(home, **sen)), field)
    field_errors(senco.patch(f"/api/v1/pupils/{home['pupils'][1]}", json=sen), field)


def test_a_valid_sen_record_is_saved(senco, world):
    sen = {
        "sen_history": [
            {"code": "K", "start_date": "2024-09-04", "end_date": "2025-07-20"},
            {"code": "E", "start_date": "2025-07-21"},
        ],
        "needs": [{"need_type": "ASD", "rank": 1}, {"need_type": "SLCN", "rank": 2}],
    }
    response = senco.post("/api/v1/pupils/", json=new_pupil(world["home"], **sen))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["sen_provision"] == "E"


def test_rejected_patch_keeps_the_existing_sen_record(senco, world, app):
    pupil = world["home"]["pupils"][0]
    before = senco.get(f"/api/v1/pupils/{pupil}").get_json()
    bad = {"forename": "Changed", "needs": [{"need_type": "SLCN", "rank": 2}]}
    field_errors(senco.patch(f"/api/v1/pupils/{pupil}", json=bad), "needs")
    assert senco.get(f"/api/v1/pupils/{pupil}").get_json() == before


def test_rejected_staff_patch_keeps_sessions_and_password(api, world, app):
    """A 409 on email must not have ended the user's sessions or changed the password."""
    ta = api("ta")
    staff_id = world["home"]["staff"]["ta"]["id"]
    response = api("admin").patch(
        f"/api/v1/staff/{staff_id}",
        json={
            "password": "another long password",
            "email": world["home"]["staff"]["senco"]["email"],
        },
    )
    assert_envelope(response, 409)
    assert ta.get("/api/v1/me").status_code == 200


def test_patching_needs_alone_is_checked_against_the_stored_provision(api, world):
    """A K pupil cannot lose their primary need through a PATCH that sends only the needs."""
    pupil = world["home"]["pupils"][0]  # on K with SLCN as rank 1
    response = api("senco").patch(f"/api/v1/pupils/{pupil}", json={"needs": []})
    assert response.status_code == 422
    assert "needs" in response.get_json()["errors"]


def test_patching_history_alone_keeps_the_stored_primary_need(api, world):
    pupil = world["home"]["pupils"][0]
    history = [
        {"code": "K", "start_date": "2024-09-04", "end_date": "2025-07-18"},
        {"code": "E", "start_date": "2025-07-19"},
    ]
    response = api("senco").patch(f"/api/v1/pupils/{pupil}", json={"sen_history": history})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["sen_provision"] == "E"


# --- patterns ---------------------------------------------------------------------------------


def test_a_trailing_newline_does_not_pass_a_pattern(senco, admin, world, unchanged):
    """Python's "$" also matches before a final newline: "1:6\\n" used to be stored as a ratio."""
    field_errors(
        senco.post("/api/v1/groups/", json=new_group(world["home"], ratio="1:6\n")), "ratio"
    )
    field_errors(
        admin.post(
            "/api/v1/staff/",
            json={"name": "New Ta", "role": "ta", "pin": "1234\n", "email": "new.ta@example.org"},
        ),
        "pin",
    )


def test_every_pattern_in_the_schemas_must_match_the_whole_value():
    import inspect

    from marshmallow import Schema, validate

    import schemas.entries
    import schemas.provision
    import schemas.school
    import schemas.templates
    from schemas.base import Pattern

    def validators(field):
        yield from field.validators
        for inner in ("inner", "key_field", "value_field"):
            if getattr(field, inner, None) is not None:
                yield from validators(getattr(field, inner))

    found = []
    for module in (schemas.entries, schemas.provision, schemas.school, schemas.templates):
        for _, schema in inspect.getmembers(module, inspect.isclass):
            if issubclass(schema, Schema) and schema is not Schema:
                for field in schema._declared_fields.values():
                    found += [v for v in validators(field) if isinstance(v, validate.Regexp)]
    assert len(found) >= 6
    assert all(type(v) is Pattern for v in found), [
        v.regex.pattern for v in found if type(v) is not Pattern
    ]


def test_the_published_spec_keeps_each_pattern(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert (
        spec["components"]["schemas"]["Group"]["properties"]["ratio"]["pattern"]
        == r"^\d{1,2}:\d{1,2}$"
    )
