"""The SENCO's workspace over the API (issue 14, item 1): an intervention's default cost basis,
a group's weekdays, enrolments with typed entry data and a structured outcome, ending a group,
and the provision map's class -> school roll-up. Every refusal names its field in plain words."""

import csv
import io

import pytest

from tests.support import ApiClient


@pytest.fixture
def senco(api) -> ApiClient:
    return api("senco")


def _group(world, **changes) -> dict:
    body = {
        "intervention_id": world["home"]["intervention"],
        "name": "Talk Boost Y5, spring",
        "sessions_per_week": 2,
        "minutes_per_session": 30,
        "weeks": 10,
        "ratio": "1:4",
        "start_date": "2026-11-02",
        "review_date": "2027-01-15",
        "funding_source": "notional_sen",
        "days": ["mon", "thu"],
        "location": "Library",
        "hourly_staff_cost_pence": 1450,
        "staff_ids": [world["home"]["staff"]["ta"]["id"]],
    }
    return body | changes


def test_an_intervention_keeps_its_default_cost_basis(senco):
    made = senco.post(
        "/api/v1/interventions/",
        json={
            "name": "Lego-based therapy",
            "area_of_need": "CI",
            "measure_type": "leuven",
            "entry_criteria": "Leuven involvement 1-3",
            "default_hourly_staff_cost_pence": 1450,
            "default_resource_cost_pence": 12000,
        },
    )
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["default_resource_cost_pence"] == 12000
    bad = senco.post(
        "/api/v1/interventions/",
        json={
            "name": "X",
            "area_of_need": "CI",
            "measure_type": "leuven",
            "default_hourly_staff_cost_pence": -1,
        },
    )
    assert bad.status_code == 422
    assert "default_hourly_staff_cost_pence" in bad.get_json()["errors"]


def test_a_groups_days_match_its_sessions_a_week_and_its_review_follows_its_start(senco, world):
    made = senco.post("/api/v1/groups/", json=_group(world))
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["days"] == ["mon", "thu"] and made.get_json()["ended_on"] is None
    wrong = senco.post("/api/v1/groups/", json=_group(world, days=["mon"]))
    assert wrong.status_code == 422
    assert "Choose 2 days" in wrong.get_json()["errors"]["days"][0]
    twice = senco.post("/api/v1/groups/", json=_group(world, days=["mon", "mon"]))
    assert twice.status_code == 422 and "only once" in str(twice.get_json()["errors"])
    early = senco.post("/api/v1/groups/", json=_group(world, review_date="2026-10-01"))
    assert early.get_json()["errors"]["review_date"] == [
        "The review must come after the start date."
    ]
    typo = senco.post("/api/v1/groups/", json=_group(world, start_date="2206-11-02"))
    assert typo.status_code == 422 and "start_date" in typo.get_json()["errors"]
    # A PATCH is checked as the group would be saved: three a week against two stored days.
    patch = senco.patch(f"/api/v1/groups/{made.get_json()['id']}", json={"sessions_per_week": 3})
    assert patch.status_code == 422 and "days" in patch.get_json()["errors"]


def test_enrolments_are_checked_as_they_would_be_saved(senco, world):
    home = world["home"]
    group = senco.post("/api/v1/groups/", json=_group(world)).get_json()
    enrol = {
        "group_id": group["id"],
        "pupil_id": home["pupils"][1],
        "joined_on": "2026-11-02",
        "entry_data": {"score": 78},
        "target": "Answer 'why' questions using 'because'.",
        "target_review_date": "2027-01-15",
    }
    made = senco.post("/api/v1/enrolments/", json=enrol)
    assert made.status_code == 201, made.get_json()
    again = senco.post("/api/v1/enrolments/", json=enrol)
    assert again.status_code == 409
    assert again.get_json()["errors"]["pupil_id"] == ["This pupil is already in this group."]
    off_scale = senco.post(
        "/api/v1/enrolments/",
        json=enrol | {"pupil_id": home["pupils"][2], "entry_data": {"score": 12}},
    )
    assert off_scale.status_code == 422
    assert off_scale.get_json()["errors"]["entry_data"]["score"]
    path = f"/api/v1/enrolments/{made.get_json()['id']}"
    early = senco.patch(path, json={"left_on": "2026-10-01"})
    assert early.get_json()["errors"]["left_on"] == [
        "The pupil cannot leave before the day they joined."
    ]
    no_day = senco.patch(path, json={"outcome_status": "met"})
    assert no_day.status_code == 422 and "left_on" in no_day.get_json()["errors"]
    unknown = senco.patch(path, json={"outcome_status": "brilliant", "left_on": "2026-12-01"})
    assert unknown.status_code == 422
    ended = senco.patch(
        path,
        json={
            "left_on": "2026-12-01",
            "exit_data": {"score": 88},
            "outcome_status": "met",
            "outcome": "Uses 'because' in class too.",
        },
    )
    assert ended.status_code == 200, ended.get_json()
    row = _map_row(senco, group["id"])
    pupil = row["pupils"][0]
    assert (pupil["outcome_words"], pupil["steps_moved"]) == ("Target met", 2)
    assert row["progress"]["summary"] == "1/1 moved ≥ 1 step"
    lines = csv.DictReader(
        io.StringIO(senco.get("/api/v1/provision-map.csv").get_data(as_text=True))
    )
    mine = next(line for line in lines if line["Group"] == group["name"])
    assert mine["Outcome"] == "Target met: Uses 'because' in class too."


def _map_row(client, group_id):
    body = client.get("/api/v1/provision-map").get_json()
    return next(r for r in body["groups"] if r["group_id"] == group_id)


def test_ending_a_group_closes_its_open_places_once(senco, api, world):
    home = world["home"]
    path = f"/api/v1/groups/{home['group']}/end"
    assert api("ta").post(path, json={"ended_on": "2026-11-30"}).status_code == 403
    future = senco.post(path, json={"ended_on": "2099-01-01"})
    assert future.status_code == 422 and "ended_on" in future.get_json()["errors"]
    before = senco.post(path, json={"ended_on": "2026-09-01"})
    assert before.status_code == 422
    assert before.get_json()["errors"]["ended_on"] == ["The group started on 8 September 2026."]
    ended = senco.post(path, json={"ended_on": "2026-11-30"})
    assert ended.status_code == 200, ended.get_json()
    assert (ended.get_json()["active"], ended.get_json()["ended_on"]) == (False, "2026-11-30")
    places = [senco.get(f"/api/v1/enrolments/{e}").get_json() for e in home["enrolments"]]
    assert {p["left_on"] for p in places} == {"2026-11-30"}
    again = senco.post(path, json={"ended_on": "2026-11-30"})
    assert again.status_code == 409 and "30 November 2026" in again.get_json()["message"]
    late = senco.post(
        "/api/v1/enrolments/",
        json={"group_id": home["group"], "pupil_id": home["pupils"][1], "joined_on": "2026-12-01"},
    )
    assert late.status_code == 422 and "ended" in late.get_json()["errors"]["group_id"][0]
    reopened = senco.patch(f"/api/v1/groups/{home['group']}", json={"active": True})
    assert reopened.get_json()["ended_on"] is None


def test_the_map_rolls_classes_up_into_the_school(senco, api, world):
    home = world["home"]
    for enrolment, entry, exit_ in zip(home["enrolments"], (78, 80), (86, None)):
        body = {"entry_data": {"score": entry}}
        if exit_:
            body |= {"exit_data": {"score": exit_}, "left_on": "2026-12-01"}
        assert senco.patch(f"/api/v1/enrolments/{enrolment}", json=body).status_code == 200
    rollup = senco.get("/api/v1/provision-map").get_json()["by_class"]
    names = [line["name"] for line in rollup["classes"]]
    assert names == ["Oak", "Ash"]  # pupil 1 in Oak (Year 4), pupil 4 in Ash (Year 5)
    oak, ash = rollup["classes"]
    assert (oak["enrolments"], oak["moved"], oak["awaiting_exit"]) == (1, 1, 0)
    assert (ash["enrolments"], ash["moved"], ash["awaiting_exit"]) == (1, 0, 1)
    school = rollup["school"]
    assert (school["pupils"], school["enrolments"], school["moved"]) == (2, 2, 1)
    # A teacher's roll-up counts only their own class; a viewer's has the numbers, no names.
    teacher = api("teacher").get("/api/v1/provision-map").get_json()["by_class"]
    assert [line["name"] for line in teacher["classes"]] == ["Oak"]
    viewer = api("viewer").get("/api/v1/provision-map").get_json()
    assert viewer["by_class"]["school"]["enrolments"] == 2
    assert "Homeson" not in str(viewer)
    ash_only = api("viewer").get(f"/api/v1/provision-map?class_id={home['classes']['other']}")
    assert ash_only.get_json()["by_class"]["school"]["enrolments"] == 1


def test_a_group_with_weekdays_plans_those_days_only():
    """Mon and Thu from Mon 2 Nov: by Thu 12 Nov that is 4 sessions (2, 5, 9, 12 Nov), not the
    calendar-day share; a half-term week plans nothing; days before a term starts neither."""
    from datetime import date

    from sync.provision_figures import sessions_planned

    terms = [(date(2026, 9, 3), date(2026, 10, 23)), (date(2026, 11, 2), date(2026, 12, 18))]
    thursday = date(2026, 11, 12)
    assert sessions_planned(date(2026, 11, 2), 2, 10, terms, thursday, ["mon", "thu"]) == 4
    assert sessions_planned(date(2026, 10, 19), 2, 10, terms, thursday, ["mon", "thu"]) == 6
    assert sessions_planned(date(2026, 8, 31), 2, 10, terms, date(2026, 9, 7), ["mon", "thu"]) == 2
    # Terms that end before the block (the school has not entered next year's) say nothing.
    assert sessions_planned(date(2027, 1, 4), 2, 10, terms, date(2027, 1, 7), ["mon", "thu"]) == 2
    # Past the last term entered, weeks count: the block does not stop planning in the holiday.
    autumn_only = terms[1:]
    assert (
        sessions_planned(date(2026, 12, 7), 2, 4, autumn_only, date(2027, 1, 15), ["mon", "thu"])
        == 8
    )


def test_a_measure_in_use_cannot_change(senco, world):
    home = world["home"]
    path = f"/api/v1/interventions/{home['intervention']}"
    assert senco.patch(path, json={"measure_type": "reading_age"}).status_code == 200
    assert senco.patch(path, json={"measure_type": "standardised_score"}).status_code == 200
    enrolment = f"/api/v1/enrolments/{home['enrolments'][0]}"
    assert senco.patch(enrolment, json={"entry_data": {"score": 80}}).status_code == 200
    refused = senco.patch(path, json={"measure_type": "reading_age"})
    assert refused.status_code == 409
    assert "already have entry or exit data" in refused.get_json()["errors"]["measure_type"][0]
    assert senco.patch(path, json={"measure_type": "standardised_score"}).status_code == 200
