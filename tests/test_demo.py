"""`flask demo`: a realistic, valid, deterministic demo school that the API can log in to."""

from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select
from stdnum.gb import upn as upn_rules

from schemas.codes import FUNDING_SOURCES, MEASURE_TYPES, NEED_TYPES, ROLES
from schemas.measures import measure_errors
from schemas.sen import today_in_london
from server.demo import build_demo
from server.demo.calendar import school_year
from server.demo.school import DFE_NUMBER, PASSWORD, demo_accounts
from server.extensions import db
from server.models import Enrolment, Group, Intervention, Pupil, SchoolClass, SenProvision, Staff
from tests.support import ApiClient


@pytest.fixture
def demo(app, runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    return result


def test_prints_every_login_and_the_password(demo):
    assert PASSWORD in demo.output
    for _, email, _ in demo_accounts():
        assert email in demo.output


def test_pupils_are_about_two_hundred_with_valid_unique_upns(app, demo):
    with app.app_context():
        pupils = db.session.scalars(select(Pupil)).all()
        assert 190 <= len(pupils) <= 215
        assert all(upn_rules.is_valid(p.upn) for p in pupils)
        assert len({p.upn for p in pupils}) == len(pupils)
        assert len({(p.forename, p.surname) for p in pupils}) == len(pupils)
        years = Counter(p.year_group for p in pupils)
        assert sorted(years) == ["1", "2", "3", "4", "5", "6", "R"]
        assert all(26 <= n <= 31 for n in years.values())
        assert 0.15 <= sum(p.pupil_premium for p in pupils) / len(pupils) <= 0.38
        assert 1 <= sum(p.looked_after for p in pupils) <= 6


def test_dates_of_birth_fit_this_school_years_year_groups(app, demo):
    """The register is drawn for 2026-27 and moved to the year the demo is built in."""
    reception = school_year(today_in_london()) - 5  # born Sep (year - 5) to Aug (year - 4)
    with app.app_context():
        for pupil in db.session.scalars(select(Pupil)):
            offset = 0 if pupil.year_group == "R" else int(pupil.year_group)
            first = date(reception - offset, 9, 1)
            assert first <= pupil.dob <= date(reception - offset + 1, 8, 31), pupil.dob


def test_every_role_has_an_account_and_each_class_a_teacher(app, demo):
    with app.app_context():
        roles = set(db.session.scalars(select(Staff.role)))
        assert roles == set(ROLES)
        assert db.session.scalar(select(Staff).where(Staff.role == "senco")).is_dsl
        classes = db.session.scalars(select(SchoolClass)).all()
        assert len(classes) == 7
        for school_class in classes:
            assert [t.role for t in school_class.teachers] == ["teacher"]
            keys = set(
                db.session.scalars(
                    select(Pupil.key_teacher_id).where(Pupil.class_id == school_class.id)
                )
            )
            assert keys == {school_class.teachers[0].id}


def test_sen_register_is_plausible_and_valid(app, demo):
    with app.app_context():
        pupils = db.session.scalars(select(Pupil)).all()
        current = Counter(p.sen_provision for p in pupils)
        assert 0.10 <= current["K"] / len(pupils) <= 0.18
        assert 0.01 <= current["E"] / len(pupils) <= 0.04
        assert any(len(p.provisions) > 1 for p in pupils), "some pupils need an older record"
        for pupil in pupils:
            assert sum(r.end_date is None for r in pupil.provisions) <= 1
            assert all(r.end_date is None or r.end_date >= r.start_date for r in pupil.provisions)
            ranks = [n.rank for n in pupil.needs]
            assert ranks == list(range(1, len(ranks) + 1))
            assert all(n.need_type in NEED_TYPES for n in pupil.needs)
            if pupil.sen_provision in ("K", "E"):
                assert 1 in ranks
            if pupil.sen_provision == "E":
                assert pupil.ehcp_annual_review_due >= date(school_year(today_in_london()), 9, 1)
            assert all(r.start_date <= today_in_london() for r in pupil.provisions)


def test_one_open_provision_per_pupil_in_the_database(app, demo):
    with app.app_context():
        open_counts = db.session.execute(
            select(SenProvision.pupil_id, func.count())
            .where(SenProvision.end_date.is_(None))
            .group_by(SenProvision.pupil_id)
        ).all()
        assert open_counts and all(count == 1 for _, count in open_counts)


def test_eight_interventions_run_as_costed_groups_with_typed_entry_data(app, demo):
    with app.app_context():
        interventions = db.session.scalars(select(Intervention)).all()
        groups = db.session.scalars(select(Group)).all()
        assert len(interventions) == 8 and len(groups) == 10
        assert {g.intervention_id for g in groups} == {i.id for i in interventions}
        assert all(i.entry_criteria and i.exit_criteria and i.evidence_note for i in interventions)
        assert all(i.measure_type in MEASURE_TYPES for i in interventions)
        assert all(i.default_hourly_staff_cost_pence for i in interventions)
        for group in groups:
            assert 3 <= len(group.enrolments) <= 6, group.name
            assert group.staff and all(s.role == "ta" for s in group.staff)
            assert group.funding_source in FUNDING_SOURCES and group.hourly_staff_cost_pence > 0
            assert group.review_date > group.start_date
            assert len(group.days) == group.sessions_per_week
            for enrolment in group.enrolments:
                assert enrolment.target and enrolment.success_criteria
                assert enrolment.target_review_date == group.review_date
                assert measure_errors(group.intervention.measure_type, enrolment.entry_data) == {}
                assert measure_errors(group.intervention.measure_type, enrolment.exit_data) == {}
                if enrolment.outcome_status:
                    assert enrolment.exit_data and enrolment.left_on and enrolment.outcome
        delivering = set(db.session.scalars(select(Staff.id).where(Staff.role == "ta")))
        assert {s.id for g in groups for s in g.staff} == delivering


def test_enrolments_are_mostly_pupils_on_the_sen_register(app, demo):
    with app.app_context():
        enrolled = db.session.scalars(select(Pupil).join(Enrolment)).all()
        on_register = sum(p.sen_provision != "N" for p in enrolled)
        assert on_register / len(enrolled) >= 0.6


def _roster(school_id: int) -> list[tuple]:
    pupils = db.session.scalars(
        select(Pupil).where(Pupil.school_id == school_id).order_by(Pupil.id)
    ).all()
    return [
        (p.upn, p.forename, p.surname, p.dob, p.sen_provision, [n.need_type for n in p.needs])
        for p in pupils
    ]


def test_the_same_seed_builds_the_same_school(app, monkeypatch):
    import server.demo.school as demo_school

    with app.app_context():
        first = build_demo(seed=7)
        # The demo's DfE number and emails are unique, so build the copies under other ones.
        monkeypatch.setattr(demo_school, "DFE_NUMBER", "8252002")
        monkeypatch.setattr(demo_school, "DOMAIN", "copy.demo")
        second = build_demo(seed=7)
        monkeypatch.setattr(demo_school, "DFE_NUMBER", "8252003")
        monkeypatch.setattr(demo_school, "DOMAIN", "other.demo")
        third = build_demo(seed=8)
        assert _roster(first["school_id"]) == _roster(second["school_id"])
        assert _roster(first["school_id"]) != _roster(third["school_id"])


def test_if_empty_is_a_no_op_the_second_time(app, runner, demo):
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(Pupil))
    again = runner.invoke(args=["demo", "--if-empty"])
    assert again.exit_code == 0
    assert "no demo was built" in again.output and PASSWORD in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Pupil)) == before


def test_if_empty_builds_into_an_empty_database(app, runner):
    result = runner.invoke(args=["demo", "--if-empty", "--seed", "3"])
    assert result.exit_code == 0 and "Built" in result.output


def test_without_if_empty_a_second_build_is_refused(runner, demo):
    again = runner.invoke(args=["demo"])
    assert again.exit_code != 0
    assert DFE_NUMBER in again.output and "already exists" in again.output


def test_demo_senco_can_log_in_and_list_pupils(app, demo):
    client = ApiClient(app.test_client())
    me = client.login("senco@meadowbank.demo", PASSWORD).get_json()
    assert me["staff"]["role"] == "senco"
    pupils = client.get("/api/v1/pupils/")
    assert pupils.status_code == 200
    assert len(pupils.get_json()) >= 190
