"""The admin's staff and term settings: accounts with classes, a temporary password that is good
for one login, the last admin kept, and terms that never overlap."""

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import LoginSession, Staff
from tests.support import ApiClient

ME = "/api/v1/me"
STAFF = "/api/v1/staff/"
OWN_PASSWORD = "violet harbour trumpet 1987"


def log_in(app, email, password) -> ApiClient:
    client = ApiClient(app.test_client())
    client.login(email, password)
    return client


def new_ta(admin, **extra) -> dict:
    response = admin.post(
        STAFF,
        json={"name": "Robin Vale", "email": "robin.vale@home.example.org", "role": "ta", **extra},
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_an_account_is_made_with_classes_and_a_temporary_password(app, api, world):
    admin = api("admin")
    oak = world["home"]["classes"]["mine"]
    member = new_ta(admin, role="teacher", class_ids=[oak])
    assert member["class_ids"] == [oak]
    assert admin.get(f"/api/v1/classes/{oak}").get_json()["teacher_ids"] == sorted(
        [world["home"]["staff"]["teacher"]["id"], member["id"]]
    )
    issued = admin.post(f"/api/v1/staff/{member['id']}/temporary-password")
    assert issued.status_code == 200, issued.get_json()
    body = issued.get_json()
    temporary = body["temporary_password"]
    assert len(temporary) == 14 and body["staff"]["must_change_password"] is True
    newcomer = log_in(app, "robin.vale@home.example.org", temporary)
    assert newcomer.get(ME).get_json()["staff"]["must_change_password"] is True


def test_a_temporary_password_opens_nothing_but_the_password_change(app, api, world):
    admin = api("admin")
    ta_id = world["home"]["staff"]["ta"]["id"]
    other_device = api("ta")
    temporary = admin.post(f"/api/v1/staff/{ta_id}/temporary-password").get_json()[
        "temporary_password"
    ]
    assert other_device.get(ME).status_code == 401, "a reset ends every session"
    ta = log_in(app, world["home"]["staff"]["ta"]["email"], temporary)
    refused = ta.get("/api/v1/sync/pull")
    assert refused.status_code == 403
    assert "temporary" in refused.get_json()["message"]
    wrong = ta.post(
        "/api/v1/auth/password",
        json={"current_password": "not it at all", "new_password": OWN_PASSWORD},
    )
    assert wrong.status_code == 422
    assert wrong.get_json()["errors"]["current_password"]
    same = ta.post(
        "/api/v1/auth/password",
        json={"current_password": temporary, "new_password": temporary},
    )
    assert same.status_code == 422
    assert same.get_json()["errors"]["new_password"]
    changed = ta.post(
        "/api/v1/auth/password",
        json={"current_password": temporary, "new_password": OWN_PASSWORD},
    )
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["staff"]["must_change_password"] is False
    assert ta.get("/api/v1/sync/pull").status_code == 200
    assert log_in(app, world["home"]["staff"]["ta"]["email"], OWN_PASSWORD)


def test_changing_your_password_ends_your_other_sessions_only(app, api, world):
    ta_id = world["home"]["staff"]["ta"]["id"]
    here, elsewhere = api("ta"), api("ta")
    response = here.post(
        "/api/v1/auth/password",
        json={"current_password": world.password, "new_password": OWN_PASSWORD},
    )
    assert response.status_code == 200, response.get_json()
    assert here.get(ME).status_code == 200
    assert elsewhere.get(ME).status_code == 401
    with app.app_context():
        left = db.session.scalars(select(LoginSession).where(LoginSession.staff_id == ta_id))
        assert len(list(left)) == 1


def test_a_password_the_admin_types_must_be_changed_too(app, api, world):
    ta_id = world["home"]["staff"]["ta"]["id"]
    api("admin").patch(f"/api/v1/staff/{ta_id}", json={"password": "chosen by the office 77"})
    ta = log_in(app, world["home"]["staff"]["ta"]["email"], "chosen by the office 77")
    assert ta.get(ME).get_json()["staff"]["must_change_password"] is True
    assert ta.get("/api/v1/pupils/").status_code == 403


@pytest.mark.parametrize(
    "change,field", [({"role": "senco"}, "role"), ({"active": False}, "active")]
)
def test_the_last_admin_cannot_be_demoted_or_deactivated(app, api, world, change, field):
    admin = api("admin")
    me = world["home"]["staff"]["admin"]["id"]
    refused = admin.patch(f"/api/v1/staff/{me}", json=change)
    assert refused.status_code == 409
    assert "only active admin" in refused.get_json()["errors"][field][0]
    second = new_ta(admin, role="admin", password="the second admin 2026")
    assert admin.patch(f"/api/v1/staff/{me}", json=change).status_code == 200
    # The newcomer is now the last admin: the rule holds for them as well.
    with app.app_context():
        db.session.get(Staff, second["id"]).must_change_password = False
        db.session.commit()
    newcomer = log_in(app, second["email"], "the second admin 2026")
    assert newcomer.patch(f"/api/v1/staff/{second['id']}", json=change).status_code == 409


def test_a_deactivated_account_gets_no_temporary_password(api, world):
    admin = api("admin")
    ta_id = world["home"]["staff"]["ta"]["id"]
    assert admin.patch(f"/api/v1/staff/{ta_id}", json={"active": False}).status_code == 200
    refused = admin.post(f"/api/v1/staff/{ta_id}/temporary-password")
    assert refused.status_code == 409
    assert refused.get_json()["errors"]["active"]


def test_an_admin_cannot_create_a_safeguarding_lead(api):
    response = api("admin").post(
        STAFF,
        json={
            "name": "A Lead",
            "email": "lead@home.example.org",
            "role": "teacher",
            "is_dsl": True,
        },
    )
    assert response.status_code == 403
    assert response.get_json()["errors"]["is_dsl"]


def test_an_email_in_capitals_is_the_same_email(api, world):
    taken = world["home"]["staff"]["ta"]["email"].upper()
    response = api("admin").post(STAFF, json={"name": "Twin", "email": taken, "role": "ta"})
    assert response.status_code == 409
    assert response.get_json()["errors"]["email"]


def test_classes_of_another_school_are_refused(api, world):
    response = api("admin").post(
        STAFF,
        json={
            "name": "Stray",
            "email": "stray@home.example.org",
            "role": "teacher",
            "class_ids": [world["other"]["classes"]["mine"]],
        },
    )
    assert response.status_code == 422
    assert response.get_json()["errors"]["class_ids"]


def test_terms_never_overlap_and_end_after_they_start(api):
    senco = api("senco")
    first = senco.post(
        "/api/v1/terms/",
        json={"name": "Autumn 1 2031", "starts_on": "2031-09-02", "ends_on": "2031-10-24"},
    )
    assert first.status_code == 201, first.get_json()
    overlap = senco.post(
        "/api/v1/terms/",
        json={"name": "Autumn 2 2031", "starts_on": "2031-10-20", "ends_on": "2031-12-19"},
    )
    assert overlap.status_code == 409
    message = overlap.get_json()["errors"]["starts_on"][0]
    assert "Autumn 1 2031" in message and "Tue 2 Sep 2031" in message and "2031-" not in message
    after = senco.post(
        "/api/v1/terms/",
        json={"name": "Autumn 2 2031", "starts_on": "2031-11-03", "ends_on": "2031-12-19"},
    )
    assert after.status_code == 201
    backwards = senco.patch(
        f"/api/v1/terms/{after.get_json()['id']}", json={"ends_on": "2031-11-01"}
    )
    assert backwards.status_code == 422
    assert backwards.get_json()["errors"]["ends_on"]
