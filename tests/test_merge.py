"""The merge: incremental updates from pushed entries equal a full rebuild (DESIGN §6), and the
measure rules the provision map's progress figures stand on."""

import uuid
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from schemas.measures import describe, measure_errors, steps_moved
from server.extensions import db
from server.models import Entry, GroupStats, Staff
from sync.merge import projection_snapshot, rebuild
from sync.merge.contributions import voice_score
from sync.push import push
from sync.scope import scope_for
from tests.sync_support import VOICE_TEMPLATE, add_test_templates, entry_op

DAY0 = date(2026, 9, 7)
STATUSES = ["present", "late", "absent"]


@pytest.mark.parametrize(
    "measure,entry,exit,steps",
    [
        ("standardised_score", {"score": 80}, {"score": 84}, 0),
        ("standardised_score", {"score": 80}, {"score": 85}, 1),
        ("standardised_score", {"score": 90}, {"score": 79}, -2),
        ("reading_age", {"years": 7, "months": 4}, {"years": 7, "months": 10}, 1),
        ("reading_age", {"years": 7, "months": 10}, {"years": 8, "months": 9}, 1),
        ("sub_level", {"level": "2c"}, {"level": "2b"}, 1),
        ("sub_level", {"level": "1a"}, {"level": "2c"}, 1),
        ("sub_level", {"level": "2b"}, {"level": "3c"}, 2),
        ("leuven", {"wellbeing": 1, "involvement": 2}, {"wellbeing": 3, "involvement": 3}, 2),
        ("leuven", {"wellbeing": 4, "involvement": 2}, {"wellbeing": 3, "involvement": 4}, 0),
        ("leuven", {"wellbeing": 3, "involvement": 3}, {"wellbeing": 2, "involvement": 3}, -1),
        ("custom_scale", {"value": 6, "max": 40}, {"value": 9.5, "max": 40}, 3),
        ("custom_scale", {"score": 6, "out_of": 40}, {"score": 8, "out_of": 40}, 2),
        ("qualitative", {"note": "Holds a pencil"}, {"note": "Tripod grip"}, None),
        ("sub_level", {"level": "2c"}, None, None),
    ],
)
def test_steps_moved(measure, entry, exit, steps):
    assert steps_moved(measure, entry, exit) == steps


@pytest.mark.parametrize(
    "measure,data,field",
    [
        ("standardised_score", {"score": 200}, "score"),
        ("standardised_score", {"score": 90, "level": "2b"}, "level"),
        ("reading_age", {"years": 7, "months": 12}, "months"),
        ("sub_level", {"level": "2d"}, "level"),
        ("leuven", {"wellbeing": 6, "involvement": 1}, "wellbeing"),
        ("custom_scale", {"value": 50, "max": 40}, "value"),
        ("qualitative", {"note": ""}, "note"),
    ],
)
def test_measure_errors_name_the_field(measure, data, field):
    assert field in measure_errors(measure, data)


def test_describe_cells_in_words_a_ta_reads_without_a_key():
    assert describe("standardised_score", {"score": 85}) == "Score 85"
    assert describe("reading_age", {"years": 7, "months": 4}) == "Reading age 7 years 4 months"
    assert describe("reading_age", {"years": 8, "months": 1}) == "Reading age 8 years 1 month"
    assert describe("reading_age", {"years": 8, "months": 0}) == "Reading age 8 years"
    assert describe("sub_level", {"level": " 2B"}) == "Level 2b"
    assert describe("leuven", {"wellbeing": 2, "involvement": 2}) == "Wellbeing 2, Involvement 2"
    assert describe("custom_scale", {"value": 6, "max": 40}) == "6 out of 40"
    assert describe("custom_scale", {"value": 6}) == "6"
    assert describe("qualitative", {"note": " Reads CVC words "}) == "Reads CVC words"


def test_voice_score_is_the_mean_of_ratings():
    definition = {
        "sections": [
            {
                "questions": [
                    {"id": "a", "type": "faces5"},
                    {"id": "b", "type": "rag"},
                    {"id": "c", "type": "text"},
                    {"id": "d", "type": "scale", "min": 0, "max": 10},
                ]
            }
        ]
    }
    # faces5 4 -> 75; amber -> 50; scale 10 -> 100: mean 75. Text is not a rating.
    assert voice_score(definition, {"a": 4, "b": "amber", "c": "fine", "d": 10}) == 75
    assert voice_score(definition, {"c": "fine"}) is None


def test_enrolment_data_must_fit_the_measure(api, world):
    senco, home = api("senco"), world["home"]  # the world's group measures standardised scores
    bad = senco.patch(
        f"/api/v1/enrolments/{home['enrolments'][0]}", json={"entry_data": {"level": "2b"}}
    )
    assert bad.status_code == 422
    assert set(bad.get_json()["errors"]["entry_data"]) == {"level", "score"}
    good = senco.patch(
        f"/api/v1/enrolments/{home['enrolments'][0]}",
        json={"entry_data": {"score": 78}, "exit_data": {"score": 86}},
    )
    assert good.status_code == 200, good.get_json()


# ---- incremental == rebuild -------------------------------------------------------------------


def _session_core(draw, groups, pupils):
    chosen = draw(st.lists(st.sampled_from(pupils), min_size=1, max_size=4, unique=True))
    planned = draw(st.booleans())
    return {
        "group_id": draw(st.sampled_from(groups)),
        "date": (DAY0 + timedelta(days=draw(st.integers(0, 40)))).isoformat(),
        "minutes_delivered": draw(st.sampled_from([0, 15, 20, 30])),
        "delivered_as_planned": planned,
        **({} if planned else {"changes_made": "Shorter"}),
        "attendance": [
            {
                "pupil_id": p,
                "status": draw(st.sampled_from(STATUSES)),
                "engagement": draw(st.one_of(st.none(), st.integers(1, 5))),
            }
            for p in chosen
        ],
    }


def _voice(draw, groups, pupils):
    core = {
        "pupil_id": draw(st.sampled_from(pupils)),
        "mode": "independent",
        "context": draw(st.sampled_from(["termly_review", "intervention_review"])),
        "group_id": draw(st.one_of(st.none(), st.sampled_from(groups))),
        "date": (DAY0 + timedelta(days=draw(st.integers(0, 40)))).isoformat(),
    }
    answers = {"feel_safe": "safe"}
    if draw(st.booleans()):  # sometimes no rating at all: then there is no voice point
        answers["feel_school"] = draw(st.integers(1, 3))
    return core, answers


def _draw_op(draw, seq, known, groups, pupils):
    """A new entry, or a correction or tombstone of one pushed earlier (sometimes stale)."""
    action = draw(st.sampled_from(["session", "session", "voice", "correct", "delete"]))
    if action in ("correct", "delete") and known:
        entry_id = draw(st.sampled_from(list(known)))  # push order: replayable
        kind, rev = known[entry_id]
        base = rev if draw(st.integers(0, 9)) else max(1, rev - 1)
        if action == "delete":
            return entry_op(
                seq,
                kind,
                {},
                entry_id=entry_id,
                base_rev=base,
                deleted=True,
                template=None if kind == "session_record" else VOICE_TEMPLATE,
            )
        action = "session" if kind == "session_record" else "voice"
        extra = {"entry_id": entry_id, "base_rev": base}
    else:
        extra = {}
    if action == "voice":
        core, answers = _voice(draw, groups, pupils)
        return entry_op(seq, "pupil_voice", core, answers, **extra)
    return entry_op(seq, "session_record", _session_core(draw, groups, pupils), {}, **extra)


@pytest.fixture
def merge_world(app, world):
    with app.app_context():
        add_test_templates(world["home"]["school"])
    home = world["home"]
    return {
        "senco": home["staff"]["senco"]["id"],
        "school": home["school"],
        "groups": [home["group"], home["spare"]["group"]],
        "pupils": home["pupils"],
    }


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_incremental_merge_equals_full_rebuild(app, merge_world, data):
    with app.app_context():
        scope = scope_for(db.session, db.session.get(Staff, merge_world["senco"]))
        known, seq, device = {}, 0, f"prop-{uuid.uuid4().hex[:12]}"
        try:
            for _ in range(data.draw(st.integers(1, 6), label="batches")):
                ops, planned = [], dict(known)
                for _ in range(data.draw(st.integers(1, 8), label="ops")):
                    seq += 1
                    ops.append(
                        _draw_op(
                            data.draw, seq, planned, merge_world["groups"], merge_world["pupils"]
                        )
                    )
                    _expect(planned, ops[-1]["entry"])  # so a batch may correct its own entries
                for op, result in zip(ops, push(db.session, scope, device, ops)):
                    if result["status"] == "accepted":
                        known[result["entry_id"]] = (op["entry"]["kind"], result["rev"])
                    if op["entry"]["deleted"] and result["status"] == "accepted":
                        del known[result["entry_id"]]
            _assert_matches_rebuild(merge_world["school"])
        finally:
            db.session.rollback()


def _expect(planned: dict, entry: dict) -> None:
    if entry["deleted"]:
        planned.pop(entry["entry_id"], None)
    else:
        planned[entry["entry_id"]] = (entry["kind"], (entry["base_rev"] or 0) + 1)


def _assert_matches_rebuild(school_id):
    incremental = projection_snapshot(db.session, school_id)
    live_sessions = db.session.scalar(
        select(func.count())
        .select_from(Entry)
        .where(Entry.kind == "session_record", Entry.is_head.is_(True), Entry.deleted.is_(False))
    )
    delivered = db.session.scalar(select(func.coalesce(func.sum(GroupStats.sessions_delivered), 0)))
    assert delivered == live_sessions
    rebuild(db.session, school_id)
    assert projection_snapshot(db.session, school_id) == incremental


def test_cli_rebuild(app, runner, merge_world):
    result = runner.invoke(args=["sync", "rebuild", "--school", "8202001"])
    assert result.exit_code == 0, result.output
    assert "Home Primary" in result.output
    assert runner.invoke(args=["sync", "rebuild", "--school", "9999999"]).exit_code != 0
