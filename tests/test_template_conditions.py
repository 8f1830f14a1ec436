"""Question conditions (show_if) and partial pupil-voice entries: a follow-up is asked only after
the answer it follows, the template schema refuses conditions that cannot work, the server
refuses an answer to a question that was not asked, and a partial entry (pupil mode left
half-way) keeps what was given without the answers still to come."""

import copy

import pytest
from marshmallow import ValidationError

from schemas.entries import PupilVoiceCore
from schemas.template_answers import answerable, asked
from schemas.templates import DefinitionSchema, all_questions, builtin_templates, validate_answers
from tests.sync_support import entry_op
from tests.test_sync_push import push

VOICES = [t for t in builtin_templates().values() if t["kind"] == "pupil_voice"]
KS2 = builtin_templates()["pv-ks2"]
PV_KS2 = {"id": "pv-ks2", "version": 1}


def question(qid, qtype="text", **extra):
    return {"id": qid, "prompt": qid.title(), "type": qtype, **extra}


def form(*questions, repeat=None):
    section = {"id": "s", "title": "S", "questions": list(questions)}
    if repeat:
        section["repeat"] = repeat
    return {"id": "x", "version": 1, "kind": "pupil_voice", "title": "X", "sections": [section]}


WORRY = question(
    "worry",
    "choice",
    tags=["safeguarding"],
    options=[{"value": "no_worries", "label": "No"}, {"value": "worried", "label": "Yes"}],
)
DETAIL = question(
    "detail", "longtext", tags=["safeguarding"], show_if={"question": "worry", "in": ["worried"]}
)
MOOD = question("mood", "faces3", required=True)


def test_each_built_in_voice_set_asks_what_worries_only_after_a_worry():
    for voice in VOICES:
        detail = next(q for q in all_questions(voice) if q["id"] == "worry_detail")
        assert detail["show_if"] == {"question": "worry", "in": ["worried"]}, voice["id"]
        assert "safeguarding" in detail["tags"]
        questions = answerable(voice)
        assert "worry_detail" not in asked(questions, {"worry": "no_worries"})
        assert "worry_detail" not in asked(questions, {})
        assert "worry_detail" in asked(questions, {"worry": "worried"})


def test_a_condition_keeps_its_in_key_when_loaded():
    loaded = DefinitionSchema().load(form(WORRY, DETAIL))
    assert loaded["sections"][0]["questions"][1]["show_if"] == {
        "question": "worry",
        "in": ["worried"],
    }


@pytest.mark.parametrize(
    "questions,fragment",
    [
        # The question named must come earlier, and exist.
        ((DETAIL, WORRY), "earlier question"),
        ((WORRY, {**DETAIL, "show_if": {"question": "nope", "in": ["worried"]}}), "earlier"),
        ((WORRY, {**DETAIL, "show_if": {"question": "detail", "in": ["x"]}}), "earlier"),
        # Only questions with set answers, and only values they can have.
        (
            (question("note"), question("more", show_if={"question": "note", "in": ["x"]})),
            "set answers",
        ),
        ((WORRY, {**DETAIL, "show_if": {"question": "worry", "in": ["sometimes"]}}), "not an"),
        ((MOOD, question("why", show_if={"question": "mood", "in": [4]})), "not an"),
        ((MOOD, question("why", show_if={"question": "mood", "in": [True]})), "not an"),
        ((MOOD, question("why", show_if={"question": "mood", "in": [1.5]})), "whole number"),
        ((MOOD, question("why", show_if={"question": "mood", "in": []})), "in"),
        ((MOOD, question("why", show_if={"question": "mood"})), "in"),
        # A follow-up to a safeguarding question is withheld with it: it must be tagged too.
        ((WORRY, {**DETAIL, "tags": []}), "tag it 'safeguarding'"),
    ],
)
def test_conditions_that_cannot_work_are_refused(questions, fragment):
    with pytest.raises(ValidationError) as caught:
        DefinitionSchema().load(form(*copy.deepcopy(questions)))
    assert fragment in str(caught.value.messages), caught.value.messages


def test_no_condition_on_or_about_questions_answered_per_stop():
    per_stop = form(WORRY, DETAIL, repeat="per_stop")
    with pytest.raises(ValidationError) as caught:
        DefinitionSchema().load(per_stop)
    assert "per stop" in str(caught.value.messages)


def test_an_answer_to_a_question_not_asked_is_refused_with_the_reason():
    errors = validate_answers(KS2, {"feel_school": 3, "worry": "no_worries", "worry_detail": "x"})
    assert list(errors) == ["worry_detail"]
    assert "only asked after another answer" in errors["worry_detail"][0]
    assert "Is there anything you worry about at school?" in errors["worry_detail"][0]
    assert validate_answers(KS2, {"feel_school": 3, "worry_detail": "x"}) == errors | {
        "worry_detail": errors["worry_detail"]
    }
    assert validate_answers(KS2, {"feel_school": 3, "worry": "worried", "worry_detail": "x"}) == {}


def test_a_question_not_asked_is_never_required_and_conditions_chain():
    follow = question("follow", required=True, show_if={"question": "mood", "in": [1]})
    again = question(
        "again",
        "boolean",
        required=True,
        show_if={"question": "mood", "in": [1, 2]},
    )
    last = question("last", required=True, show_if={"question": "again", "in": [True]})
    definition = DefinitionSchema().load(form(MOOD, follow, again, last))
    assert validate_answers(definition, {"mood": 3}) == {}
    assert set(validate_answers(definition, {"mood": 1})) == {"follow", "again"}
    assert set(validate_answers(definition, {"mood": 2, "again": True})) == {"last"}
    # A yes/no answer of true does not meet a face of 1, nor the other way round.
    assert asked(answerable(definition), {"mood": 2, "again": 1}) == {"mood", "again"}
    # "last" follows "again", which is not asked once the mood changes: not asked either.
    assert set(validate_answers(definition, {"mood": 3, "last": "x"})) == {"last"}


def test_multichoice_conditions_meet_any_chosen_value():
    pick = question(
        "pick",
        "multichoice",
        options=[{"value": "a", "label": "A"}, {"value": "b", "label": "B"}],
    )
    why = question("why", show_if={"question": "pick", "in": ["b"]})
    questions = answerable(DefinitionSchema().load(form(pick, why)))
    assert "why" in asked(questions, {"pick": ["a", "b"]})
    assert "why" not in asked(questions, {"pick": ["a"]})


def test_a_partial_entry_needs_no_answer_but_what_it_gives_is_checked():
    assert validate_answers(KS2, {"good_at": "Maths"}) == {
        "feel_school": ["An answer is required."]
    }
    assert validate_answers(KS2, {"good_at": "Maths"}, partial=True) == {}
    assert set(validate_answers(KS2, {"feel_school": 9}, partial=True)) == {"feel_school"}
    assert PupilVoiceCore().load(core(1, partial=True))["partial"] is True
    with pytest.raises(ValidationError):
        PupilVoiceCore().load(core(1, partial="yes"))


def core(pupil_id, **extra):
    return {
        "pupil_id": pupil_id,
        "date": "2026-11-03",
        "mode": "independent",
        "context": "termly_review",
        **extra,
    }


def test_push_keeps_a_partial_entry_and_refuses_a_contradiction(api, world):
    ta = api("ta")
    pupil = world["home"]["pupils"][0]
    ops = [
        # Left after the second question: the required first one is still unanswered.
        entry_op(1, "pupil_voice", core(pupil, partial=True), {"good_at": "Lego"}, template=PV_KS2),
        entry_op(2, "pupil_voice", core(pupil), {"good_at": "Lego"}, template=PV_KS2),
        entry_op(
            3,
            "pupil_voice",
            core(pupil),
            {"feel_school": 4, "worry": "no_worries", "worry_detail": "Spelling tests"},
            template=PV_KS2,
        ),
        entry_op(
            4,
            "pupil_voice",
            core(pupil),
            {"feel_school": 4, "worry": "worried", "worry_detail": "Spelling tests"},
            template=PV_KS2,
        ),
    ]
    results = push(ta, ops)
    assert [r["status"] for r in results] == ["accepted", "rejected", "rejected", "accepted"]
    assert results[1]["errors"]["entry"]["answers"] == {"feel_school": ["An answer is required."]}
    assert list(results[2]["errors"]["entry"]["answers"]) == ["worry_detail"]
    senco = api("senco")
    pulled = senco.get("/api/v1/sync/pull").get_json()["changes"]
    partial = next(c["data"] for c in pulled if c["id"] == ops[0]["entry"]["entry_id"])
    assert partial["core"]["partial"] is True
    assert partial["answers"] == {"good_at": "Lego"}
