"""A pupil's answer reads back in the words they chose: "Happy" on three faces is "Happy", not the
"Very happy" its score of 100 would say on five. The score stays, for averages."""

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import Template, VoicePoint
from sync.merge.rebuild import rebuild
from tests.sync_support import add_test_templates, entry_op
from tests.test_sync_push import push

FEELINGS = {
    "id": "our-feelings",
    "version": 1,
    "kind": "pupil_voice",
    "title": "How I feel",
    "sections": [
        {
            "id": "voice",
            "title": "My views",
            "questions": [
                {
                    "id": "safe_faces",
                    "prompt": "How safe do you feel?",
                    "type": "faces5",
                    "tags": ["safeguarding"],
                },
                {
                    "id": "reading",
                    "prompt": "How do you feel about reading?",
                    "type": "faces3",
                    "tags": ["passport:id_like_you_to_know"],
                },
                {
                    "id": "maths",
                    "prompt": "How do you feel about maths?",
                    "type": "faces5",
                    "tags": ["passport:i_find_it_difficult_to"],
                },
                {"id": "group", "prompt": "How is your group going?", "type": "rag"},
            ],
        }
    ],
}
PV_KS2 = {"id": "pv-ks2", "version": 1}


@pytest.fixture
def home(app, world):
    with app.app_context():
        add_test_templates(world["home"]["school"])
        db.session.add(
            Template(
                school_id=world["home"]["school"],
                template_id=FEELINGS["id"],
                version=1,
                kind="pupil_voice",
                title=FEELINGS["title"],
                definition=FEELINGS,
            )
        )
        db.session.commit()
    return world["home"]


def voice(seq, pupil_id, answers, template=None, day="2026-11-03"):
    core = {"pupil_id": pupil_id, "date": day, "mode": "independent", "context": "termly_review"}
    return entry_op(seq, "pupil_voice", core, answers, template=template)


def trend(api, group_id):
    body = api("senco").get("/api/v1/provision-map").get_json()
    (row,) = [r for r in body["groups"] if r["group_id"] == group_id]
    return row["voice_trend"]


def test_happy_on_three_faces_reads_happy_on_the_provision_map(api, home):
    pupil = home["pupils"][0]
    push(api("ta"), [voice(1, pupil, {"feel_school": 3, "feel_safe": "safe"})])
    (point,) = trend(api, home["group"])
    assert point["score"] == 100  # for averages, as before
    assert (point["scale"], point["position"], point["face"]) == (3, 3, "Happy")
    assert point["scale_type"] == "faces3"


@pytest.mark.parametrize(
    "answer,face,score", [(5, "Very happy", 100), (4, "Happy", 75), (1, "Very sad", 0)]
)
def test_five_faces_read_in_five_face_words(api, home, answer, face, score):
    push(api("ta"), [voice(1, home["pupils"][0], {"feel_school": answer}, template=PV_KS2)])
    (point,) = trend(api, home["group"])
    assert (point["scale"], point["position"], point["face"], point["score"]) == (
        5,
        answer,
        face,
        score,
    )


def test_the_point_is_the_first_rating_given_and_never_a_safeguarding_one(app, api, home):
    pupil = home["pupils"][0]
    answers = {"safe_faces": 1, "reading": 3, "maths": 2, "group": "amber"}
    push(api("ta"), [voice(1, pupil, answers, template=FEELINGS)])
    (point,) = trend(api, home["group"])
    assert (point["scale"], point["position"], point["face"]) == (3, 3, "Happy")
    # Reading 100, maths 25, group 50: the worried "how safe" face counts nowhere on the map.
    assert point["score"] == round((100 + 25 + 50) / 3)
    push(api("ta"), [voice(2, pupil, {"group": "green"}, template=FEELINGS, day="2026-11-04")])
    assert [(p["scale_type"], p["position"], p["face"]) for p in trend(api, home["group"])] == [
        ("faces3", 3, "Happy"),
        ("rag", 3, "Secure"),
    ]
    with app.app_context():
        before = db.session.execute(select(VoicePoint).order_by(VoicePoint.date)).scalars().all()
        kept = [(p.scale, p.position, p.face, p.score) for p in before]
        rebuild(db.session, home["school"])
        db.session.commit()
        after = db.session.execute(select(VoicePoint).order_by(VoicePoint.date)).scalars().all()
        assert [(p.scale, p.position, p.face, p.score) for p in after] == kept


def test_passport_suggestions_use_the_chosen_faces_words(api, home):
    pupil = home["pupils"][0]
    push(api("ta"), [voice(1, pupil, {"reading": 3, "maths": 5}, template=FEELINGS)])
    fields = api("teacher").get(f"/api/v1/pupils/{pupil}/passport").get_json()["fields"]
    (reading,) = fields["id_like_you_to_know"]["suggestions"]
    assert (reading["question"], reading["text"]) == ("How do you feel about reading?", "Happy")
    (maths,) = fields["i_find_it_difficult_to"]["suggestions"]
    assert (maths["question"], maths["text"]) == ("How do you feel about maths?", "Very happy")
