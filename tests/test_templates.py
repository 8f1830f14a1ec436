"""Form templates as data: the built-in forms carry FORMS.md faithfully, answers are checked,
and school templates are versioned, role-gated and school-scoped."""

import json
import re
from pathlib import Path

import pytest
from marshmallow import ValidationError

from schemas.entries import (
    ENTRY_KINDS,
    RAG,
    AttendanceSchema,
    ConversationCore,
    SessionRecordCore,
    StopSchema,
)
from schemas.templates import (
    FORMS_DIR,
    DefinitionSchema,
    all_questions,
    builtin_templates,
    safeguarding_question_ids,
    scales,
    validate_answers,
)
from sync.templates import CONCERN_VALUES

SEED_001 = sorted(Path("/work/shared/seeds").glob("001_*.txt"))
TTL_ID = "lw-testing-teaching-learning"
WALKS = [t for t in builtin_templates().values() if t["kind"] == "learning_walk"]
VOICES = [t for t in builtin_templates().values() if t["kind"] == "pupil_voice"]


def values(options):
    return [o["value"] for o in options]


def test_every_form_file_loads_and_validates():
    files = {p.stem for p in FORMS_DIR.glob("*.json")} - {"scales"}
    assert set(builtin_templates()) == files
    for name in files:
        raw = json.loads((FORMS_DIR / f"{name}.json").read_text(encoding="utf-8"))
        DefinitionSchema().load(raw)
        assert raw["source"].startswith("FORMS.md §"), name
    assert {t["kind"] for t in builtin_templates().values()} == set(ENTRY_KINDS)


def test_the_fourteen_questions_are_verbatim():
    prompts = [q["prompt"] for q in all_questions(builtin_templates()[TTL_ID])]
    assert len(prompts) == 14 == len(set(prompts))
    assert prompts[2] == "Are pupil confidence and self-esteem healthy?"
    assert prompts[13] == (
        "Are they developing a keen awareness of their strengths, areas of need "
        "and what strategies and approaches to learning they can utilise to "
        "enable them to achieve their goals?"
    )


@pytest.mark.skipif(not SEED_001, reason="seed documents are not on this machine")
def test_the_fourteen_questions_appear_in_the_seed():
    seed = re.sub(r"\s+", " ", SEED_001[0].read_text(encoding="utf-8"))
    start = seed.index("TESTING THE TEACHING AND LEARNING")
    box = seed[start : seed.index("REFLECTION AND READINESS", start)]
    for question in all_questions(builtin_templates()[TTL_ID]):
        assert question["prompt"] in box, question["id"]
    assert box.count("u ") == 14


def test_walks_carry_the_header_lists():
    assert {t["id"] for t in WALKS} >= {
        TTL_ID,
        "lw-ta-deployment",
        "lw-inclusive-classroom",
        "lw-unstructured-times",
        "lw-autism-standards",
    }
    for walk in WALKS:
        assert len(walk["purposes"]) == 6 and len(walk["walker_roles"]) == 4, walk["id"]
        assert values(walk["stop_contexts"]) == list(
            StopSchema().fields["context"].validate.choices
        )
        assert all(s["repeat"] == "per_stop" for s in walk["sections"])
    assert {o["label"] for o in WALKS[0]["walker_roles"]} == {
        "Learning & teaching",
        "Environment",
        "Pupil work",
        "Pupil voice",
    }


def test_ta_deployment_and_inclusive_look_fors():
    prompts = [q["prompt"] for q in all_questions(builtin_templates()["lw-ta-deployment"])]
    assert "Which pupils are TAs working with?" in prompts and len(prompts) == 4
    inclusive = " ".join(
        q["prompt"].lower() for q in all_questions(builtin_templates()["lw-inclusive-classroom"])
    )
    for look_for in (
        "visual timetables",
        "peer mentoring",
        "grouping",
        "writing frames",
        "visual cues",
    ):
        assert look_for in inclusive


def test_autism_look_fors_are_tagged_with_standards():
    autism = builtin_templates()["lw-autism-standards"]
    codes = [
        tag.split(":")[1]
        for q in all_questions(autism)
        for tag in q["tags"]
        if tag.startswith("standard:")
    ]
    assert len(codes) == len(all_questions(autism))
    assert {c[:2] for c in codes} == {"IP", "BR", "CL", "EE"}
    assert set(codes) <= set(autism["standards"])
    assert values(autism["evidence_types"]) == ["observed", "voice", "document"]
    assert autism["standards"]["EE3"].startswith("Your setting uses a variety of cues (eg tactile")


def test_scales_carry_words_and_shapes():
    rag = scales()["rag"]
    assert [(v["value"], v["word"], v["glyph"]) for v in rag] == [
        ("red", "Not yet", "■"),
        ("amber", "Getting there", "▲"),
        ("green", "Secure", "●"),
    ]
    assert tuple(v["value"] for v in rag) == RAG
    assert [v["word"] for v in scales()["faces3"]] == ["Sad", "OK", "Happy"]
    assert [v["word"] for v in scales()["faces5"]] == [
        "Very sad",
        "Sad",
        "OK",
        "Happy",
        "Very happy",
    ]
    assert all(v["symbol"] for v in scales()["faces5"])
    assert scales()["leuven"]["max"] == 5 and len(scales()["best_fit"]) == 3


def test_each_pupil_voice_set_tags_its_safety_prompts():
    assert len({t["age_band"] for t in VOICES}) == len(VOICES) >= 3
    for voice in VOICES:
        tagged = safeguarding_question_ids(voice)
        assert {"safe", "worry"} <= set(tagged), voice["id"]
        concern_options = {
            v
            for q in all_questions(voice)
            if q["id"] in tagged
            for v in values(q.get("options", []))
        }
        # The sync code raises a concern on exactly these answer values.
        assert CONCERN_VALUES <= concern_options
        assert len(all_questions(voice)) <= 10
        assert values(voice["modes"]) == ["independent", "supported", "proxy"]
        assert len(voice["contexts"]) == 5


def test_conversation_has_stages_and_the_six_musts():
    conversation = builtin_templates()["conversation-structured"]
    assert [s["id"] for s in conversation["sections"]][:4] == ["explore", "focus", "plan", "review"]
    musts = {tag for q in all_questions(conversation) for tag in q.get("tags", [])}
    assert len(conversation["musts"]) == 6
    assert {f"must:{m}" for m in values(conversation["musts"])} <= musts


@pytest.mark.parametrize(
    "template_id,core",
    [("session-record", SessionRecordCore), ("conversation-structured", ConversationCore)],
)
def test_core_bound_questions_name_real_core_fields(template_id, core):
    for question in all_questions(builtin_templates()[template_id]):
        if "core" in question:
            field = question["core"]
            schema = AttendanceSchema if field.startswith("attendance.") else core
            assert field.removeprefix("attendance.") in schema().fields, question["id"]


KS2 = builtin_templates()["pv-ks2"]
WALK = builtin_templates()["lw-ta-deployment"]


@pytest.mark.parametrize(
    "definition,answers,question,fragment",
    [
        (KS2, {"feel_school": 3, "favourite_colour": "blue"}, "favourite_colour", "Not a question"),
        (KS2, {"good_at": "drawing"}, "feel_school", "required"),
        (KS2, {"feel_school": 6}, "feel_school", "from 1 to 5"),
        (KS2, {"feel_school": True}, "feel_school", "face"),
        (KS2, {"feel_school": 3, "good_at": 7}, "good_at", "text"),
        (KS2, {"feel_school": 3, "good_at": "x" * 501}, "good_at", "500"),
        (KS2, {"feel_school": 3, "safe": "maybe"}, "safe", "options"),
        (WALK, {"ta_impact": "purple"}, "ta_impact", "red, amber or green"),
        (WALK, {"ta_deployed_how": ["one_to_one", "one_to_one"]}, "ta_deployed_how", "once"),
        (WALK, {"ta_deployed_how": ["coffee"]}, "ta_deployed_how", "coffee"),
    ],
)
def test_validate_answers_catches_each_error(definition, answers, question, fragment):
    errors = validate_answers(definition, answers)
    assert fragment in " ".join(errors.get(question, [])), errors


def typed(qtype, **extra):
    return {
        "sections": [
            {
                "id": "s",
                "title": "S",
                "questions": [{"id": "q", "prompt": "Q", "type": qtype, **extra}],
            }
        ]
    }


@pytest.mark.parametrize(
    "qtype,extra,good,bad",
    [
        ("scale", {"min": 1, "max": 4}, 4, 5),
        ("leuven", {}, {"wellbeing": 2, "involvement": 5}, {"wellbeing": 2}),
        ("number", {"min": 0, "max": 300}, 25.5, -1),
        ("date", {}, "2026-10-01", "01/10/2026"),
        ("time", {}, "09:05", "9am"),
        ("boolean", {}, False, "no"),
        ("photo", {}, ["a" * 64], ["not-a-hash"]),
        ("faces3", {}, 1, 4),
    ],
)
def test_validate_answers_by_type(qtype, extra, good, bad):
    assert validate_answers(typed(qtype, **extra), {"q": good}) == {}
    assert list(validate_answers(typed(qtype, **extra), {"q": bad})) == ["q"]


def test_validate_answers_accepts_a_full_set_and_refuses_non_objects():
    answers = {
        "feel_school": 4,
        "safe": "not_safe",
        "worry": "worried",
        "intervention": 5,
        "worry_detail": "Playtime",
        "friends": 2,
    }
    assert validate_answers(KS2, answers) == {}
    assert validate_answers(KS2, ["feel_school"]) == {
        "_schema": ["Answers must be an object keyed by question id."]
    }


@pytest.mark.parametrize(
    "definition,where",
    [
        (typed("sparkles"), "sections"),
        (typed("choice", options=[{"value": "a", "label": "A"}]), "sections"),
        (typed("scale"), "sections"),
        (
            typed("text", options=[{"value": "a", "label": "A"}, {"value": "b", "label": "B"}]),
            "sections",
        ),
        (
            {
                "sections": [
                    {
                        "id": "s",
                        "title": "S",
                        "questions": [
                            {"id": "q", "prompt": "A", "type": "text"},
                            {"id": "q", "prompt": "B", "type": "text"},
                        ],
                    }
                ]
            },
            "sections",
        ),
    ],
)
def test_bad_definitions_are_refused(definition, where):
    with pytest.raises(ValidationError) as caught:
        DefinitionSchema().load(
            {"id": "x", "version": 1, "kind": "pupil_voice", "title": "X", **definition}
        )
    assert where in caught.value.messages


# ---- the API ----------------------------------------------------------------------------------
def school_form(template_id="reading-check", title="Reading check", prompt="How did reading go?"):
    return {
        "template_id": template_id,
        "kind": "pupil_voice",
        "title": title,
        "age_band": "ks2",
        "sections": [
            {
                "id": "main",
                "title": "Reading",
                "questions": [
                    {"id": "reading", "prompt": prompt, "type": "faces5", "required": True}
                ],
            }
        ],
    }


def next_version(title="Reading check v2"):
    body = school_form(title=title, prompt="How do you feel about reading now?")
    del body["template_id"], body["kind"]
    return body


@pytest.fixture
def senco(api):
    client = api("senco")
    assert client.post("/api/v1/templates/", json=school_form()).status_code == 201
    return client


def test_create_version_and_read_every_version(senco):
    made = senco.post("/api/v1/templates/reading-check/versions", json=next_version())
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["version"] == 2 and made.get_json()["kind"] == "pupil_voice"
    assert made.get_json()["versions"] == [1, 2]
    latest = senco.get("/api/v1/templates/reading-check").get_json()
    assert latest["version"] == 2 and latest["title"] == "Reading check v2"
    old = senco.get("/api/v1/templates/reading-check/versions/1").get_json()
    assert old["title"] == "Reading check"
    assert old["definition"]["sections"][0]["questions"][0]["prompt"] == "How did reading go?"
    assert old["definition"]["id"] == "reading-check" and old["definition"]["version"] == 1
    # A stored school definition is a whole definition: the sync code validates answers with it.
    assert DefinitionSchema().load(old["definition"])["age_band"] == "ks2"
    assert validate_answers(old["definition"], {}) == {"reading": ["An answer is required."]}
    assert senco.get("/api/v1/templates/reading-check/versions/3").status_code == 404


def test_list_has_builtins_and_the_latest_school_version(senco, api):
    senco.post("/api/v1/templates/reading-check/versions", json=next_version())
    listed = {t["template_id"]: t for t in api("ta").get("/api/v1/templates/").get_json()}
    assert listed[TTL_ID]["builtin"] is True
    assert len(all_questions(listed[TTL_ID]["definition"])) == 14
    assert listed["reading-check"]["builtin"] is False
    assert listed["reading-check"]["version"] == 2 and listed["reading-check"]["versions"] == [1, 2]
    other = {
        t["template_id"] for t in api("viewer", school="other").get("/api/v1/templates/").get_json()
    }
    assert "reading-check" not in other and TTL_ID in other


@pytest.mark.parametrize("role", ["teacher", "ta", "viewer"])
def test_only_editors_create_but_everyone_reads(senco, api, role):
    client = api(role)
    assert client.post("/api/v1/templates/", json=school_form("mine")).status_code == 403
    assert (
        client.post("/api/v1/templates/reading-check/versions", json=next_version()).status_code
        == 403
    )
    assert client.get("/api/v1/templates/reading-check").status_code == 200


def test_another_schools_template_is_not_found(senco, api):
    stranger = api("admin", school="other")
    assert stranger.get("/api/v1/templates/reading-check").status_code == 404
    assert stranger.get("/api/v1/templates/reading-check/versions/1").status_code == 404
    assert (
        stranger.post("/api/v1/templates/reading-check/versions", json=next_version()).status_code
        == 404
    )
    # The other school may use the same id for a template of its own.
    assert stranger.post("/api/v1/templates/", json=school_form()).status_code == 201
    assert senco.get("/api/v1/templates/reading-check").get_json()["versions"] == [1]


def test_a_bad_definition_gets_field_errors(api):
    body = school_form()
    body["sections"][0]["questions"].append({"id": "mood", "prompt": "Mood?", "type": "choice"})
    response = api("admin").post("/api/v1/templates/", json=body)
    assert response.status_code == 422
    envelope = response.get_json()
    assert set(envelope) == {"code", "status", "message", "errors"}
    question = envelope["errors"]["sections"]["0"]["questions"]["1"]
    assert question == {"options": ["A choice question needs at least two options."]}


@pytest.mark.parametrize(
    "template_id,status", [(TTL_ID, 409), ("reading-check", 409), ("Not A Slug", 422)]
)
def test_ids_are_slugs_and_never_reused(senco, template_id, status):
    response = senco.post("/api/v1/templates/", json=school_form(template_id))
    assert response.status_code == status, response.get_json()
    assert "template_id" in str(response.get_json()["errors"])


def test_built_in_versions(api):
    client = api("teacher")
    assert client.get(f"/api/v1/templates/{TTL_ID}/versions/1").get_json()["builtin"] is True
    assert client.get(f"/api/v1/templates/{TTL_ID}/versions/2").status_code == 404
    assert (
        api("senco").post(f"/api/v1/templates/{TTL_ID}/versions", json=next_version()).status_code
        == 409
    )
