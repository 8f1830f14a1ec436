"""Review prompts: one school state in which every kind of prompt is due for someone, and the
near misses (not yet due, already done, out of scope) that must stay quiet."""

from datetime import date

import pytest

from server.extensions import db
from server.models import Enrolment, Group, Intervention, Passport, Pupil, SenProvision
from tests.sync_support import entry_op
from tests.test_passport import conversation
from tests.test_sync_push import push

TODAY = "2026-11-20"
SESSION = {"id": "session-record", "version": 1}
KINDS = {
    "group_review_overdue",
    "target_review_due",
    "exit_criteria_met",
    "low_attendance",
    "parent_ack_outstanding",
    "ehcp_annual_review_due",
    "few_parent_conversations",
}


def running_record(seq, group_id, day, rows):
    core = {
        "group_id": group_id,
        "date": day,
        "minutes_delivered": 30,
        "delivered_as_planned": True,
        "attendance": [{"pupil_id": p, "status": s, "score": score} for p, s, score in rows],
    }
    return entry_op(seq, "session_record", core, {}, template=SESSION)


def _records(app, home):
    """The intervention's exit rule, targets, review dates, SEN records and shared passports."""
    p = home["pupils"]
    with app.app_context():
        group = db.session.get(Group, home["group"])
        group.review_date = date(2026, 11, 1)  # overdue
        db.session.get(Group, home["spare"]["group"]).review_date = date(2026, 12, 30)  # not yet
        db.session.get(Intervention, home["intervention"]).exit_rule = {
            "field": "score",
            "at_least": 85,
        }
        first, second = (db.session.get(Enrolment, e) for e in home["enrolments"])
        first.target, first.target_review_date = "Say three sentences in a row", date(2026, 11, 28)
        second.target = "Read twenty common words"  # no date: reviewed at the end of term
        db.session.add(
            SenProvision(
                school_id=home["school"], pupil_id=p[2], code="E", start_date=date(2025, 1, 5)
            )
        )  # anniversary 5 Jan 2027
        db.session.add(
            SenProvision(
                school_id=home["school"], pupil_id=p[4], code="E", start_date=date(2024, 3, 1)
            )
        )
        db.session.get(Pupil, p[4]).ehcp_annual_review_due = date(2027, 6, 1)  # not within 8 weeks
        db.session.add_all(
            [
                Passport(
                    school_id=home["school"], pupil_id=p[1], shared_with_parent_on=date(2026, 10, 1)
                ),
                Passport(
                    school_id=home["school"],
                    pupil_id=p[2],
                    shared_with_parent_on=date(2026, 11, 15),
                ),
            ]
        )
        db.session.commit()


@pytest.fixture
def school(app, api, world):
    home = world["home"]
    _records(app, home)
    p, g = home["pupils"], home["group"]
    days = ["2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05"]
    push(
        api("ta"),
        [
            running_record(
                i + 1,
                g,
                day,
                [(p[0], "present", 70 + 10 * i), (p[3], "present" if i == 0 else "absent", 70)],
            )
            for i, day in enumerate(days)
        ],
    )
    push(
        api("teacher"),
        [
            conversation(1, p[0], {}, day="2026-10-10"),  # unacknowledged for 41 days
            conversation(2, p[0], {}, day="2026-11-15"),  # unacknowledged, but only 5 days
            conversation(3, p[0], {}, day="2026-06-01", acknowledged=True),  # last school year
        ],
        device="teacher-tablet-1",
    )
    push(
        api("senco"),
        [
            conversation(i + 1, p[2], {}, day=d, acknowledged=True)
            for i, d in enumerate(["2026-09-10", "2026-10-10", "2026-11-10"])
        ],
        device="senco-tablet-1",
    )
    return home


def due(client, today=TODAY):
    response = client.get(f"/api/v1/reviews/due?today={today}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def keys(prompts):
    return {(p["kind"], p["pupil_id"], p["group_id"]) for p in prompts}


def test_every_kind_of_prompt_appears_for_the_senco(api, school):
    p, g = school["pupils"], school["group"]
    prompts = due(api("senco"))
    assert {x["kind"] for x in prompts} == KINDS
    assert keys(prompts) == {
        ("group_review_overdue", None, g),
        ("target_review_due", p[0], g),
        ("exit_criteria_met", p[0], g),  # latest score 100 >= 85, still enrolled
        ("low_attendance", p[3], g),  # 1 of 4 sessions
        ("parent_ack_outstanding", p[1], None),  # passport shared 1 October
        ("parent_ack_outstanding", p[0], None),  # conversation of 10 October
        ("ehcp_annual_review_due", p[2], None),
        ("few_parent_conversations", p[0], None),  # 2 this year; June's was last year
        ("few_parent_conversations", p[4], None),  # none at all
    }
    by_kind = {x["kind"]: x for x in prompts}
    assert by_kind["group_review_overdue"]["link"] == f"/api/v1/groups/{g}"
    assert by_kind["target_review_due"]["due_date"] == "2026-11-28"
    assert by_kind["ehcp_annual_review_due"]["due_date"] == "2027-01-05"
    assert by_kind["low_attendance"]["detail"].startswith("Attended 1 of 4")
    assert [x["due_date"] for x in prompts] == sorted(x["due_date"] for x in prompts)
    assert all(x["title"] and x["detail"] and x["link"].startswith("/api/v1/") for x in prompts)


def test_term_end_brings_undated_targets_up_for_review(api, school):
    late = [x for x in due(api("senco"), "2026-12-10") if x["kind"] == "target_review_due"]
    assert {(x["pupil_id"], x["due_date"]) for x in late} == {
        (school["pupils"][0], "2026-11-28"),
        (school["pupils"][3], "2026-12-18"),
    }


def test_each_role_sees_only_its_own_pupils_and_groups(api, world, school):
    p, g = school["pupils"], school["group"]
    teacher = keys(due(api("teacher")))  # class Oak: pupils 0 and 1
    assert {pupil for _, pupil, _ in teacher} == {None, p[0], p[1]}
    assert ("parent_ack_outstanding", p[1], None) in teacher
    ta = keys(due(api("ta")))  # delivers the group of pupils 0 and 3
    assert ta == {
        ("group_review_overdue", None, g),
        ("target_review_due", p[0], g),
        ("exit_criteria_met", p[0], g),
        ("low_attendance", p[3], g),
    }
    other = world["other"]  # its own K pupil has had no conversation; nothing of ours shows
    assert keys(due(api("senco", school="other"))) == {
        ("few_parent_conversations", other["pupils"][0], None)
    }
    for role in ("admin", "viewer"):
        assert api(role).get("/api/v1/reviews/due").status_code == 403


def test_done_things_stop_prompting(app, api, school):
    with app.app_context():
        first = db.session.get(Enrolment, school["enrolments"][0])
        first.left_on = date(2026, 11, 19)  # exited: no exit or target prompt any more
        db.session.get(Group, school["group"]).review_date = date(2027, 2, 1)
        passport = db.session.query(Passport).filter_by(pupil_id=school["pupils"][1]).one()
        passport.parent_acknowledged_on = date(2026, 10, 5)
        db.session.commit()
    kinds = {(x["kind"], x["pupil_id"]) for x in due(api("senco"))}
    assert ("exit_criteria_met", school["pupils"][0]) not in kinds
    assert ("parent_ack_outstanding", school["pupils"][1]) not in kinds
    assert "group_review_overdue" not in {k for k, _ in kinds}


def test_today_must_be_a_date(api):
    assert api("senco").get("/api/v1/reviews/due?today=soon").status_code == 422
    assert api("senco").get("/api/v1/reviews/due").status_code == 200
