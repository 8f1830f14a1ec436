"""Write authority inside one school (DESIGN §3): only an entry's author or the SENCO may correct
or withdraw it, while every pupil of the old version is in their scope; a session record names
only pupils in its group on that day, within the group's run; device_seq counts per school,
member of staff and device."""

from datetime import date

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import Enrolment, Entry, Group, Staff
from tests.sync_support import add_test_templates, session_op, voice_op
from tests.test_sync_push import push


@pytest.fixture
def home(app, world):
    with app.app_context():
        add_test_templates(world["home"]["school"])
        add_test_templates(world["other"]["school"])
    return world["home"]


def _second_ta(app, home) -> str:
    """Another TA of the same school who delivers the same group."""
    with app.app_context():
        staff = Staff(
            school_id=home["school"],
            name="Second Ta",
            email="ta2@home.example.org",
            role="ta",
            password_hash=db.session.get(Staff, home["staff"]["ta"]["id"]).password_hash,
        )
        group = db.session.get(Group, home["group"])
        group.staff.append(staff)
        db.session.commit()
    return "ta2@home.example.org"


def _login(app, email, world):
    from tests.support import ApiClient

    client = ApiClient(app.test_client())
    client.login(email, world.password)
    return client


def _rejected_for_authority(result):
    assert result["status"] == "rejected", result
    assert "Only the person who recorded this, or the SENCO" in result["message"]


def test_a_ta_cannot_withdraw_the_sencos_voice_entry_that_raised_a_concern(app, api, home):
    raised = push(api("senco"), [voice_op(1, home["pupils"][0], feel_safe="worried")])[0]
    tombstone = voice_op(
        1, home["pupils"][0], entry_id=raised["entry_id"], base_rev=1, deleted=True
    )
    _rejected_for_authority(push(api("ta"), [tombstone])[0])
    with app.app_context():
        head = db.session.scalar(
            select(Entry).where(Entry.entry_id == raised["entry_id"], Entry.is_head.is_(True))
        )
        assert (head.rev, head.deleted) == (1, False)


def test_a_ta_cannot_withdraw_or_correct_another_tas_session_record(app, api, world, home):
    pupils = [home["pupils"][0], home["pupils"][3]]
    stored = push(api("ta"), [session_op(1, home["group"], pupils)])[0]
    other_ta = _login(app, _second_ta(app, home), world)
    withdraw = session_op(
        1, home["group"], pupils, entry_id=stored["entry_id"], base_rev=1, deleted=True
    )
    correct = session_op(2, home["group"], pupils[:1], entry_id=stored["entry_id"], base_rev=1)
    for result in push(other_ta, [withdraw, correct], device="tablet-0002"):
        _rejected_for_authority(result)


def test_a_teacher_cannot_cut_a_tas_group_record_down_to_their_own_pupil(app, api, home):
    pupils = [home["pupils"][0], home["pupils"][3]]  # the teacher sees pupil 0, not pupil 3
    stored = push(api("ta"), [session_op(1, home["group"], pupils)])[0]
    fix = session_op(1, home["group"], pupils[:1], entry_id=stored["entry_id"], base_rev=1)
    _rejected_for_authority(push(api("teacher"), [fix])[0])
    with app.app_context():
        head = db.session.scalar(
            select(Entry).where(Entry.entry_id == stored["entry_id"], Entry.is_head.is_(True))
        )
        assert sorted(head.pupil_ids) == sorted(pupils)


def test_the_author_and_the_senco_may_correct_and_withdraw(app, api, home):
    pupils = [home["pupils"][0], home["pupils"][3]]
    ta = api("ta")
    stored = push(ta, [session_op(1, home["group"], pupils)])[0]
    own_fix = session_op(2, home["group"], pupils[:1], entry_id=stored["entry_id"], base_rev=1)
    assert push(ta, [own_fix])[0]["status"] == "accepted"
    senco_fix = session_op(1, home["group"], pupils, entry_id=stored["entry_id"], base_rev=2)
    assert push(api("senco"), [senco_fix])[0]["status"] == "accepted"
    withdraw = session_op(
        3, home["group"], pupils, entry_id=stored["entry_id"], base_rev=3, deleted=True
    )
    assert push(ta, [withdraw])[0]["status"] == "accepted"


def test_the_author_cannot_amend_once_a_pupil_of_the_record_has_left_their_scope(app, api, home):
    pupils = [home["pupils"][0], home["pupils"][3]]
    ta = api("ta")
    stored = push(ta, [session_op(1, home["group"], pupils)])[0]
    with app.app_context():  # pupil 3 leaves the group: the TA no longer sees them
        db.session.get(Enrolment, home["enrolments"][1]).left_on = date(2026, 11, 20)
        db.session.commit()
    withdraw = session_op(
        2, home["group"], pupils, entry_id=stored["entry_id"], base_rev=1, deleted=True
    )
    _rejected_for_authority(push(api("ta"), [withdraw])[0])


def test_a_session_record_names_only_pupils_in_the_group_that_day(app, api, home):
    not_in_group = home["pupils"][1]  # in the SENCO's scope, never enrolled in the group
    results = push(
        api("senco"),
        [
            session_op(1, home["group"], [home["pupils"][0], not_in_group]),
            session_op(
                2, home["group"], [home["pupils"][0]], day=date(2026, 9, 1)
            ),  # before joining
            session_op(3, home["group"], [home["pupils"][0]]),
        ],
    )
    assert results[0]["status"] == "rejected"
    assert results[0]["errors"]["entry"]["core"]["attendance"] == {
        "1": {"pupil_id": ["This pupil was not in the group on that day."]}
    }
    assert results[1]["status"] == "rejected"
    assert results[2]["status"] == "accepted"
    provision = api("senco").get("/api/v1/provision-map").get_json()
    row = next(r for r in provision["groups"] if r["group_id"] == home["group"])
    assert row["sessions_delivered"] == 1


def test_a_session_date_must_fall_within_the_groups_run(app, api, home):
    with app.app_context():  # four weeks from 8 September 2026: to 5 October, plus a fortnight
        db.session.get(Group, home["group"]).weeks = 4
        db.session.commit()
    ops = [
        session_op(1, home["group"], [home["pupils"][0]], day=date(2026, 10, 19)),
        session_op(2, home["group"], [home["pupils"][0]], day=date(2026, 10, 20)),
    ]
    inside, late = push(api("ta"), ops)
    assert inside["status"] == "accepted"
    assert late["status"] == "rejected"
    assert late["errors"]["entry"]["core"]["date"] == [
        "This group runs from 8 September 2026 to 5 October 2026; check the date or the group."
    ]


def test_device_seq_counts_per_school_not_per_device(api, world, home):
    device = "shared-tablet"
    other = world["other"]
    theirs = [session_op(i, other["group"], [other["pupils"][0]]) for i in range(1, 11)]
    assert {r["status"] for r in push(api("ta", school="other"), theirs, device)} == {"accepted"}
    ours = [session_op(i, home["group"], [home["pupils"][0]]) for i in range(1, 4)]
    assert {r["status"] for r in push(api("ta"), ours, device)} == {"accepted"}
    again = session_op(2, home["group"], [home["pupils"][0]])
    result = push(api("ta"), [again], device)[0]
    assert result["errors"] == {
        "device_seq": ["This device already sent another record under the same number. Try again."]
    }


def test_an_entry_made_and_corrected_in_one_batch_is_its_authors(api, home):
    first = session_op(1, home["group"], [home["pupils"][0]])
    fix = session_op(
        2,
        home["group"],
        [home["pupils"][0], home["pupils"][3]],
        entry_id=first["entry"]["entry_id"],
        base_rev=1,
    )
    assert [r["status"] for r in push(api("ta"), [first, fix])] == ["accepted", "accepted"]


def test_a_correction_from_a_cut_copy_keeps_what_went_to_the_safeguarding_lead(app, api, home):
    from server.models import Concern

    pupil = home["pupils"][0]
    worried = voice_op(1, pupil, feel_safe="worried")
    worried["entry"]["core"].update(
        flagged_concern=True, concern_note="Said an older child hurts them"
    )
    stored = push(api("ta"), [worried])[0]
    pulled = next(
        c["data"]
        for c in api("ta").get("/api/v1/sync/pull").get_json()["changes"]
        if c["type"] == "entry" and c["id"] == stored["entry_id"]
    )
    assert "concern_note" not in pulled["core"] and "feel_safe" not in pulled["answers"]
    fix = voice_op(2, pupil, entry_id=stored["entry_id"], base_rev=1)
    fix["entry"]["core"] = {**pulled["core"], "date": "2026-11-04"}
    fix["entry"]["answers"] = pulled["answers"]
    assert push(api("ta"), [fix])[0]["status"] == "accepted"
    with app.app_context():
        head = db.session.scalar(
            select(Entry).where(Entry.entry_id == stored["entry_id"], Entry.is_head.is_(True))
        )
        assert head.core["concern_note"] == "Said an older child hurts them"
        assert head.answers["feel_safe"] == "worried"
        assert db.session.query(Concern).count() == 1  # the same worry, not raised twice
