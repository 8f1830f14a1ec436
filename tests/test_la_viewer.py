"""A trust's or local authority's viewer (issue 16): granted schools by an operator on the
command line, it reads their provision map rolled up, as figures only, and nothing else."""

import csv
import io
import json
from datetime import date

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import AuditEvent, Pupil, SenProvision, Staff, TrustGrant
from tests.support import PASSWORD, ApiClient

EMAIL = "officer@la.example.org"
HOME, OTHER = "8202001", "8212002"


def _grant(runner, *dfe_numbers, password=PASSWORD):
    args = ["trust", "grant", "--email", EMAIL]
    for number in dfe_numbers:
        args += ["--school", number]
    return runner.invoke(args=args, input=f"{password}\n{password}\n")


@pytest.fixture
def officer(app, world, runner):
    result = _grant(runner, HOME)
    assert result.exit_code == 0, result.output

    def login() -> ApiClient:
        client = ApiClient(app.test_client())
        client.login(EMAIL, PASSWORD)
        return client

    return login


def _rollup(client, query=""):
    response = client.get(f"/api/v1/trust/provision-map{query}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_sees_granted_schools_only_as_figures(officer, world, api):
    rollup = _rollup(officer())
    assert [s["dfe_number"] for s in rollup["schools"]] == [HOME]
    home = rollup["schools"][0]
    # The home world: two groups (one empty), pupils 1 and 4 in the Talk Boost group.
    assert home["totals"]["groups"] == 2
    assert home["totals"]["enrolments"] == 2
    assert home["pupils_in_provision"]["pupils"] == 2
    assert home["by_area"]["CI"]["enrolments"] == 2
    text = json.dumps(rollup)
    for private in ("Pupil1", "Homeson", "Talk Boost Y4", "Home Ta", "pupil_id", "group_id"):
        assert private not in text
    # The same school's own viewer (the head) reads the same figures from its map.
    head = api("viewer").get("/api/v1/provision-map").get_json()
    assert head["totals"]["enrolments"] == home["totals"]["enrolments"]
    assert head["by_class"]["school"] == home["pupils_in_provision"]


def test_the_sen_register_counts_who_was_on_roll_and_on_which_record_that_day(app, officer, world):
    """Pupil 1 of the home world is on SEN support from 2024. Here pupil 2 gets an EHC plan,
    pupil 3 had SEN support that ended in July 2025, and pupil 5 has an EHC plan but left."""
    with app.app_context():
        school, pupils = world["home"]["school"], world["home"]["pupils"]
        db.session.add_all(
            [
                SenProvision(
                    school_id=school, pupil_id=pupils[1], code="E", start_date=date(2025, 1, 6)
                ),
                SenProvision(
                    school_id=school,
                    pupil_id=pupils[2],
                    code="K",
                    start_date=date(2024, 9, 4),
                    end_date=date(2025, 7, 1),
                ),
                SenProvision(
                    school_id=school, pupil_id=pupils[4], code="E", start_date=date(2025, 1, 6)
                ),
            ]
        )
        leaver = db.session.get(Pupil, pupils[4])
        leaver.on_roll, leaver.left_on = False, date(2026, 7, 22)
        db.session.commit()
    client = officer()
    now = _rollup(client)
    assert now["schools"][0]["sen_register"] == {
        "on_roll": 4,
        "sen_support": 1,
        "sen_support_pct": 25.0,
        "ehc_plan": 1,
        "ehc_plan_pct": 25.0,
    }
    assert now["sen_register"] == now["schools"][0]["sen_register"]
    spring = _rollup(client, "?as_of=2025-03-03")["schools"][0]["sen_register"]
    assert (spring["on_roll"], spring["sen_support"], spring["ehc_plan"]) == (5, 2, 2)
    # On the day a record ends it no longer applies.
    ended = _rollup(client, "?as_of=2025-07-01")["schools"][0]["sen_register"]
    assert (ended["on_roll"], ended["sen_support"], ended["ehc_plan"]) == (5, 1, 2)


def test_more_schools_add_up_and_revoking_takes_one_away(app, officer, runner, world):
    assert _grant(runner, OTHER).exit_code == 0
    rollup = _rollup(officer())
    assert [s["dfe_number"] for s in rollup["schools"]] == [HOME, OTHER]
    totals = rollup["totals"]
    assert totals["schools"] == 2
    for key in ("groups", "enrolments", "pupils", "sessions_planned", "cost_pence"):
        assert totals[key] == sum(s["totals"][key] for s in rollup["schools"])
    assert rollup["by_area"]["CI"]["enrolments"] == 4

    result = runner.invoke(args=["trust", "revoke", "--email", EMAIL, "--school", OTHER])
    assert result.exit_code == 0, result.output
    assert [s["dfe_number"] for s in _rollup(officer())["schools"]] == [HOME]
    # Each school's own audit log shows the grant and its revocation.
    with app.app_context():
        events = db.session.execute(
            select(AuditEvent.action).where(
                AuditEvent.resource == "trust_grants",
                AuditEvent.school_id == world["other"]["school"],
            )
        ).scalars()
        assert sorted(events) == ["create", "delete"]


def test_works_in_no_school(officer, world):
    client = officer()
    assert client.get("/api/v1/me").status_code == 200
    for path in (
        "/api/v1/provision-map",
        "/api/v1/pupils/",
        "/api/v1/classes/",
        "/api/v1/staff/",
        "/api/v1/sync/pull",
        "/api/v1/entries/",
        f"/api/v1/groups/{world['home']['group']}",
    ):
        assert client.get(path).status_code == 403, path


def test_school_roles_cannot_read_the_rollup(api):
    for role in ("admin", "senco", "viewer"):
        assert api(role).get("/api/v1/trust/provision-map").status_code == 403


def test_bad_as_of_names_the_field(officer):
    response = officer().get("/api/v1/trust/provision-map?as_of=yesterday")
    assert response.status_code == 422
    assert "as_of" in response.get_json()["errors"]


def test_grant_refuses_school_staff_unknown_schools_and_short_passwords(app, world, runner):
    staff_email = world["home"]["staff"]["senco"]["email"]
    result = runner.invoke(args=["trust", "grant", "--email", staff_email, "--school", HOME])
    assert result.exit_code != 0 and "account of its own" in result.output
    assert _grant(runner, "9999999").exit_code != 0
    short = _grant(runner, HOME, password="short")
    assert short.exit_code != 0 and "10 characters" in short.output
    with app.app_context():
        assert db.session.scalar(select(Staff).where(Staff.email == EMAIL)) is None
        assert db.session.scalars(select(TrustGrant)).all() == []


def test_show_lists_the_schools(officer, runner):
    result = runner.invoke(args=["trust", "show", "--email", EMAIL])
    assert result.exit_code == 0 and HOME in result.output and OTHER not in result.output


def test_no_school_admin_can_manage_the_account(officer, api, app):
    with app.app_context():
        officer_id = db.session.scalar(select(Staff.id).where(Staff.email == EMAIL))
    admin = api("admin")
    assert EMAIL not in json.dumps(admin.get("/api/v1/staff/").get_json())
    assert admin.get(f"/api/v1/staff/{officer_id}").status_code == 404
    assert admin.patch(f"/api/v1/staff/{officer_id}", json={"role": "senco"}).status_code == 404
    assert admin.post(f"/api/v1/staff/{officer_id}/temporary-password").status_code == 404
    pulled = api("senco").get("/api/v1/sync/pull").get_json()["changes"]
    assert officer_id not in {c["data"]["id"] for c in pulled if c["type"] == "staff"}


def test_csv_has_a_line_per_school_and_the_total_and_is_audited(app, officer, runner, world):
    assert _grant(runner, OTHER).exit_code == 0
    response = officer().get("/api/v1/trust/provision-map.csv?as_of=2026-11-30")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "provision-across-schools-2026-11-30.csv" in response.headers["Content-Disposition"]
    header, *lines = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert header[:4] == ["School", "DfE number", "Pupils in provision", "Places"]
    assert [line[1] for line in lines] == [HOME, OTHER, ""]
    assert lines[-1][0] == "Both schools"
    assert int(lines[-1][3]) == sum(int(line[3]) for line in lines[:-1])
    for column in ("Pupils on roll", "SEN support", "EHC plan"):
        at = header.index(column)
        assert int(lines[-1][at]) == sum(int(line[at]) for line in lines[:-1])
    assert [line[header.index("Pupils on roll")] for line in lines] == ["5", "5", "10"]
    assert "Pupil1" not in response.get_data(as_text=True)
    with app.app_context():
        exported = db.session.scalars(
            select(AuditEvent.school_id).where(AuditEvent.resource == "trust_provision_map")
        )
        assert sorted(exported) == sorted([world["home"]["school"], world["other"]["school"]])


def test_no_grant_left_reads_an_empty_rollup(officer, runner):
    result = runner.invoke(args=["trust", "revoke", "--email", EMAIL, "--school", HOME])
    assert result.exit_code == 0, result.output
    rollup = _rollup(officer())
    assert rollup["schools"] == [] and rollup["totals"]["schools"] == 0
    lines = officer().get("/api/v1/trust/provision-map.csv").get_data(as_text=True).splitlines()
    assert len(lines) == 1  # the header only: no "All 0 schools" line
