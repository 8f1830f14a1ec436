"""Field-level reads (DESIGN §3): what a reader pulls is cut to their role. Safeguarding content
reaches only the SENCO and DSLs; a multi-pupil entry carries only the reader's pupils' rows."""

from datetime import date

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import AuditEvent, Enrolment, Group, Staff
from sync.entry_view import WITHHELD_MESSAGE
from tests.support import ApiClient
from tests.sync_support import add_test_templates, entry_op, session_op, voice_op
from tests.test_sync_pull import of_type, pull_all
from tests.test_sync_push import push

PV_KS2 = {"id": "pv-ks2", "version": 1}
WORRY = "Someone at home shouts at me"
NOTE = "Bruise on arm, said a fall"


@pytest.fixture
def home(app, world):
    with app.app_context():
        add_test_templates(world["home"]["school"])
    return world["home"]


def entries(client) -> dict:
    return {c["id"]: c["data"] for c in of_type(pull_all(client)[0], "entry")}


def worried_voice(seq: int, pupil_id: int) -> dict:
    core = {
        "pupil_id": pupil_id,
        "date": "2026-11-03",
        "mode": "independent",
        "context": "termly_review",
    }
    answers = {
        "feel_school": 2,
        "enjoy": "Art and football",
        "safe": "not_safe",
        "worry": "worried",
        "worry_detail": WORRY,
    }
    return entry_op(seq, "pupil_voice", core, answers, template=PV_KS2)


def flagged_session(seq: int, group: int, pupils: list, concern_pupil: int) -> dict:
    op = session_op(seq, group, pupils)
    op["entry"]["core"].update(
        flagged_concern=True, concern_note=NOTE, concern_pupil_id=concern_pupil
    )
    return op


def sync_pull_reads(app) -> list[dict]:
    with app.app_context():
        return [
            e.detail
            for e in db.session.scalars(
                select(AuditEvent).where(
                    AuditEvent.resource == "sync_pull", AuditEvent.action == "read"
                )
            )
        ]


@pytest.mark.parametrize("role", ["ta", "teacher"])
def test_pupil_voice_safeguarding_answers_are_withheld_from_staff(api, home, role):
    entry_id = push(api("ta"), [worried_voice(1, home["pupils"][0])])[0]["entry_id"]
    data = entries(api(role))[entry_id]
    assert data["answers"] == {"feel_school": 2, "enjoy": "Art and football"}
    assert data["withheld"] == {
        "fields": ["answers.safe", "answers.worry", "answers.worry_detail"],
        "message": WITHHELD_MESSAGE,
    }
    assert WORRY not in str(data) and "not_safe" not in str(data)


@pytest.mark.parametrize("role", ["ta", "teacher"])
def test_a_concern_note_is_withheld_and_the_flag_stays(api, home, role):
    pupils = [home["pupils"][0], home["pupils"][3]]
    op = flagged_session(1, home["group"], pupils, pupils[0])
    entry_id = push(api("ta"), [op])[0]["entry_id"]
    data = entries(api(role))[entry_id]
    assert "concern_note" not in data["core"] and "concern_pupil_id" not in data["core"]
    assert data["core"]["flagged_concern"] is True
    assert data["withheld"]["fields"] == ["core.concern_note", "core.concern_pupil_id"]
    assert NOTE not in str(data)


def test_senco_pulls_the_whole_entry_and_the_read_is_audited(app, api, home):
    voice = push(api("ta"), [worried_voice(1, home["pupils"][0])])[0]["entry_id"]
    plain = push(api("ta"), [session_op(2, home["group"], [home["pupils"][0]])])[0]["entry_id"]
    pulled = entries(api("senco"))
    assert pulled[voice]["answers"]["worry_detail"] == WORRY
    assert pulled[voice]["safeguarding"] == {
        "fields": ["answers.safe", "answers.worry", "answers.worry_detail"]
    }
    assert "withheld" not in pulled[voice]
    assert "safeguarding" not in pulled[plain]
    assert [r["safeguarding"] for r in sync_pull_reads(app)] == [[voice]]


def test_a_dsl_teacher_pulls_the_whole_entry_and_staff_reads_name_none(app, api, home, world):
    entry_id = push(api("ta"), [worried_voice(1, home["pupils"][0])])[0]["entry_id"]
    entries(api("ta"))
    assert all(not r["safeguarding"] for r in sync_pull_reads(app))
    with app.app_context():
        db.session.get(Staff, home["staff"]["teacher"]["id"]).is_dsl = True
        db.session.commit()
    data = entries(api("teacher"))[entry_id]
    assert data["answers"]["worry_detail"] == WORRY and "withheld" not in data
    assert [r["safeguarding"] for r in sync_pull_reads(app) if r["safeguarding"]] == [[entry_id]]


def test_a_teacher_pulls_only_their_class_rows_of_a_group_record(api, home):
    mine, other = home["pupils"][0], home["pupils"][3]  # Oak (the teacher's class), Ash
    entry_id = push(api("ta"), [session_op(1, home["group"], [mine, other])])[0]["entry_id"]
    data = entries(api("teacher"))[entry_id]
    assert data["pupil_ids"] == [mine]
    assert [row["pupil_id"] for row in data["core"]["attendance"]] == [mine]
    assert data["core"]["minutes_delivered"] == 30 and data["answers"]["went_well"]
    whole = entries(api("senco"))[entry_id]
    assert [row["pupil_id"] for row in whole["core"]["attendance"]] == [mine, other]


def test_a_ta_pulls_only_their_pupils_rows_of_another_tas_group_record(app, api, home, world):
    shared, theirs = home["pupils"][0], home["pupils"][1]
    with app.app_context():
        ta2 = Staff(
            school_id=home["school"],
            name="Second TA",
            email="ta2@home.example.org",
            role="ta",
            password_hash=db.session.get(Staff, home["staff"]["ta"]["id"]).password_hash,
        )
        group = Group(
            school_id=home["school"],
            intervention_id=home["intervention"],
            name="Lego therapy",
            sessions_per_week=1,
            minutes_per_session=30,
            weeks=6,
            ratio="1:2",
            start_date=date(2026, 9, 8),
            funding_source="notional_sen",
            staff=[ta2],
        )
        db.session.add(group)
        db.session.flush()
        db.session.add_all(
            [
                Enrolment(
                    school_id=home["school"],
                    group_id=group.id,
                    pupil_id=p,
                    joined_on=date(2026, 9, 8),
                )
                for p in (shared, theirs)
            ]
        )
        db.session.commit()
        group_id = group.id
    op = flagged_session(1, group_id, [shared, theirs], theirs)
    op["entry"]["core"]["attendance"][1]["note"] = "Upset about home"
    client = ApiClient(app.test_client())
    client.login("ta2@home.example.org", world.password)
    entry_id = push(client, [op])[0]["entry_id"]
    data = entries(api("ta"))[entry_id]
    assert data["pupil_ids"] == [shared]
    assert [row["pupil_id"] for row in data["core"]["attendance"]] == [shared]
    assert "Upset about home" not in str(data) and theirs not in data["core"].values()


def test_an_authors_voice_entry_stops_arriving_when_the_pupil_leaves_their_scope(app, api, home):
    pupil = home["pupils"][3]
    entry_id = push(api("ta"), [voice_op(1, pupil)])[0]["entry_id"]
    assert entry_id in entries(api("ta"))
    with app.app_context():
        enrolment = db.session.scalar(select(Enrolment).where(Enrolment.pupil_id == pupil))
        enrolment.left_on = date(2026, 11, 20)
        db.session.commit()
    assert entry_id not in entries(api("ta"))


def test_passport_suggestions_carry_no_safeguarding_answer(api, home):
    push(api("ta"), [worried_voice(1, home["pupils"][0])])
    passport = api("ta").get(f"/api/v1/pupils/{home['pupils'][0]}/passport").get_json()
    assert passport["fields"]["i_enjoy"]["suggestions"][0]["text"] == "Art and football"
    assert WORRY not in str(passport)
