"""Property: whatever staff of one school push, what each of them pulls holds no pupil row, note
or safeguarding field the role matrix keeps from them (DESIGN §3, "Field-level reads").

Pushes go through the real push API and may be rejected by its rules; only pulls are asserted.
"""

import itertools
import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.extensions import db
from server.models import Enrolment, Group, Staff
from tests.sync_support import VOICE_TEMPLATE, add_test_templates, entry_op, session_op
from tests.test_sync_pull import of_type, pull_all
from tests.test_sync_push import push

PV_KS2 = {"id": "pv-ks2", "version": 1}
TAGGED = {"test-voice": {"feel_safe"}, "pv-ks2": {"safe", "worry", "worry_detail"}}
WRITERS = ("senco", "teacher", "ta")
DEVICE_SEQ = itertools.count(1)
SECRET = "SG-"  # every safeguarding text pushed carries it; no other text does


def _pupils_seen(world) -> dict:
    """The role matrix for tests/support.py's school, written out rather than asked of the code:
    the teacher has class Oak (pupils 1-3), the TA the Talk Boost group (pupils 1 and 4)."""
    p = world["home"]["pupils"]
    return {"senco": set(p), "teacher": {p[0], p[1], p[2]}, "ta": {p[0], p[3]}}


@pytest.fixture
def groups(app, world) -> dict:
    """Group id -> the pupils a session record may name: the TA's Talk Boost group, and a group
    nobody but the SENCO sees whole: pupil 1 (the TA's and the teacher's), pupil 2 (the
    teacher's only) and pupil 5 (the SENCO's only)."""
    home = world["home"]
    with app.app_context():
        add_test_templates(home["school"])
        second = _second_group(home)
    p = home["pupils"]
    return {home["group"]: [p[0], p[3]], second: [p[0], p[1], p[4]]}


def _second_group(home) -> int:
    group = Group(
        school_id=home["school"],
        intervention_id=home["intervention"],
        name="Lego therapy",
        sessions_per_week=1,
        minutes_per_session=30,
        weeks=12,
        ratio="1:3",
        start_date=date(2026, 9, 8),
        funding_source="notional_sen",
    )
    db.session.add(group)
    db.session.flush()
    db.session.add_all(
        [
            Enrolment(
                school_id=home["school"], group_id=group.id, pupil_id=p, joined_on=date(2026, 9, 8)
            )
            for p in (home["pupils"][0], home["pupils"][1], home["pupils"][4])
        ]
    )
    db.session.commit()
    return group.id


def _concern(draw, core: dict, pupils: list) -> None:
    if draw(st.booleans()):
        core.update(
            flagged_concern=True,
            concern_note=f"{SECRET}{draw(st.integers(0, 999))}",
            concern_pupil_id=draw(st.sampled_from(pupils)),
        )


@st.composite
def ops(draw, groups: dict, pupils: list):
    """One entry op: a session record (its rows' notes name their pupil) or a pupil voice.
    Its device_seq is given as it is pushed: a device may use each number once."""
    seq = 0
    if draw(st.booleans()):
        group = draw(st.sampled_from(sorted(groups)))
        rows = draw(st.lists(st.sampled_from(groups[group]), min_size=1, max_size=3, unique=True))
        op = session_op(seq, group, rows)
        for row in op["entry"]["core"]["attendance"]:
            row["note"] = f"note-on-{row['pupil_id']}-"
        _concern(draw, op["entry"]["core"], rows)
        return op
    pupil = draw(st.sampled_from(pupils))
    core = {
        "pupil_id": pupil,
        "date": "2026-11-03",
        "mode": "independent",
        "context": "termly_review",
    }
    if draw(st.booleans()):
        answers = {
            "feel_school": 3,
            "enjoy": f"note-on-{pupil}-",
            "safe": draw(st.sampled_from(["safe", "not_safe"])),
            "worry": draw(st.sampled_from(["no_worries", "worried"])),
            "worry_detail": f"{SECRET}worry",
        }
        op = entry_op(seq, "pupil_voice", core, answers, template=PV_KS2)
    else:
        answers = {
            "feel_school": 2,
            "feel_safe": draw(st.sampled_from(["safe", "not_sure", "worried", "not_safe"])),
        }
        op = entry_op(seq, "pupil_voice", core, answers, template=VOICE_TEMPLATE)
    _concern(draw, core, [pupil] + draw(st.lists(st.sampled_from(pupils), max_size=1)))
    return op


def _check(role: str, dsl: bool, seen: set, entries: list, all_pupils: list) -> None:
    hidden = [p for p in all_pupils if p not in seen]
    for change in entries:
        data = change["data"]
        if change["deleted"]:
            continue
        core, text = data["core"], json.dumps(data)
        assert set(data["pupil_ids"]) <= seen, (role, data)
        assert {row["pupil_id"] for row in core.get("attendance", [])} <= seen, (role, data)
        assert core.get("pupil_id") in seen | {None}, (role, data)
        assert core.get("concern_pupil_id") in seen | {None}, (role, data)
        assert not any(f"note-on-{p}-" in text for p in hidden), (role, data)
        if not (role == "senco" or dsl):
            assert SECRET not in text and "concern_note" not in core, (role, data)
            assert not TAGGED.get(data["template_id"], set()) & data["answers"].keys(), data


# The fixtures' school is shared by all examples: pushes pile up, which the property allows.
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_what_each_user_pulls_is_cut_to_their_role(app, api, world, groups, data):
    home = world["home"]
    dsl = data.draw(st.booleans(), label="teacher is a DSL")
    with app.app_context():
        db.session.get(Staff, home["staff"]["teacher"]["id"]).is_dsl = dsl
        db.session.commit()
    batch = data.draw(
        st.lists(
            st.tuples(st.sampled_from(WRITERS), ops(groups, home["pupils"])), min_size=1, max_size=4
        ),
        label="pushes",
    )
    for writer, op in batch:
        push(api(writer), [{**op, "device_seq": next(DEVICE_SEQ)}], device=f"{writer}-device")
    matrix = _pupils_seen(world)
    for role, seen in matrix.items():
        entries = of_type(pull_all(api(role))[0], "entry")
        _check(role, dsl and role == "teacher", seen, entries, home["pupils"])
    whole = {c["id"]: c["data"] for c in of_type(pull_all(api("senco"))[0], "entry")}
    for _writer, op in batch:
        stored = whole.get(op["entry"]["entry_id"])
        if stored is not None:  # accepted: the SENCO reads it whole
            assert stored["core"] == {**stored["core"], **op["entry"]["core"]}
            assert stored["answers"] == op["entry"]["answers"]
