"""Within a school, each role sees exactly its own slice; across schools, nothing."""

import pytest


def ids(response):
    assert response.status_code == 200, response.get_json()
    return sorted(row["id"] for row in response.get_json())


def test_teacher_sees_only_pupils_in_own_classes(api, world):
    home = world["home"]
    assert ids(api("teacher").get("/api/v1/pupils/")) == sorted(home["pupils"][:2])


def test_teacher_cannot_open_a_pupil_in_another_class(api, world):
    response = api("teacher").get(f"/api/v1/pupils/{world['home']['pupils'][3]}")
    assert response.status_code == 404


def test_key_teacher_sees_their_key_pupil_outside_own_class(api, world, app):
    from server.extensions import db
    from server.models import Pupil

    home = world["home"]
    with app.app_context():
        db.session.get(Pupil, home["pupils"][4]).key_teacher_id = home["staff"]["teacher"]["id"]
        db.session.commit()
    assert home["pupils"][4] in ids(api("teacher").get("/api/v1/pupils/"))


def test_ta_sees_only_pupils_in_groups_they_deliver(api, world):
    home = world["home"]
    assert ids(api("ta").get("/api/v1/pupils/")) == sorted([home["pupils"][0], home["pupils"][3]])
    assert api("ta").get(f"/api/v1/pupils/{home['pupils'][1]}").status_code == 404


def test_ta_loses_sight_of_a_pupil_who_leaves_the_group(api, world):
    home = world["home"]
    senco = api("senco")
    left = senco.patch(
        f"/api/v1/enrolments/{home['enrolments'][0]}", json={"left_on": "2026-11-01"}
    )
    assert left.status_code == 200
    assert ids(api("ta").get("/api/v1/pupils/")) == [home["pupils"][3]]


def test_ta_sees_only_own_groups_and_their_enrolments(api, world):
    home = world["home"]
    assert ids(api("ta").get("/api/v1/groups/")) == [home["group"]]
    assert ids(api("ta").get("/api/v1/enrolments/")) == sorted(home["enrolments"])


def test_teacher_sees_groups_holding_their_pupils(api, world):
    home = world["home"]
    assert ids(api("teacher").get("/api/v1/groups/")) == [home["group"]]
    assert ids(api("teacher").get("/api/v1/enrolments/")) == [home["enrolments"][0]]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/pupils/",
        "/api/v1/classes/",
        "/api/v1/staff/",
        "/api/v1/interventions/",
        "/api/v1/groups/",
        "/api/v1/enrolments/",
        "/api/v1/terms/",
        "/api/v1/audit/",
    ],
)
def test_lists_never_show_another_schools_rows(api, world, path):
    home_rows = set(ids(api("senco").get(path)))
    other_rows = set(ids(api("senco", school="other").get(path)))
    assert not home_rows & other_rows


def test_senco_filters_pupils_by_sen_provision(api, world):
    home = world["home"]
    on_support = ids(api("senco").get("/api/v1/pupils/?sen_provision=K"))
    assert on_support == [home["pupils"][0]]
    no_sen = ids(api("senco").get("/api/v1/pupils/?sen_provision=N"))
    assert no_sen == sorted(home["pupils"][1:])


def test_unknown_query_parameters_are_refused(api):
    response = api("senco").get("/api/v1/pupils/?colour=blue")
    assert response.status_code == 422
    assert "colour" in response.get_json()["errors"]


@pytest.mark.parametrize("role", ("admin", "senco", "teacher", "ta", "viewer"))
def test_sync_scope_is_exactly_what_the_scoping_queries_give(app, world, role):
    """Sync runs each role's scope queries ready-built, with ids as parameters: same answer."""
    from server.extensions import db
    from server.models import Staff
    from server.models.scope import visible_group_ids, visible_pupil_ids
    from sync.scope import scope_for

    with app.app_context():
        for school in ("home", "other"):
            staff = db.session.get(Staff, world[school]["staff"][role]["id"])
            scope = scope_for(db.session, staff)
            assert scope.pupils == set(db.session.scalars(visible_pupil_ids(staff)))
            assert scope.groups == set(db.session.scalars(visible_group_ids(staff)))
            assert scope.pupils <= set(world[school]["pupils"])
            if role != "viewer":
                assert scope.pupils, f"{role} in {school} should see some pupils"
