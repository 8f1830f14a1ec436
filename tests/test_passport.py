"""The pupil passport: assembled from entries pushed through the real sync API, edited by base_rev,
agreed, shared and acknowledged, read only by staff who work with the pupil, audited, printed."""

import os
import re
from datetime import date

import pytest
from sqlalchemy import select

from schemas.passport import EDITABLE_FIELDS
from schemas.sen import today_in_london
from server.extensions import db
from server.models import AuditEvent, Enrolment
from tests.support import skip_unless_ci
from tests.sync_support import add_test_templates, entry_op, passport_op, session_op
from tests.test_sync_push import push

PV = {"id": "pv-ks2", "version": 1}
CONVERSATION = {"id": "conversation-structured", "version": 1}


def voice(seq, pupil_id, answers, day="2026-11-03", **kwargs):
    core = {"pupil_id": pupil_id, "date": day, "mode": "independent", "context": "passport_update"}
    return entry_op(seq, "pupil_voice", core, answers, template=PV, **kwargs)


def conversation(seq, pupil_id, answers, targets=(), day="2026-10-20", acknowledged=False):
    core = {
        "pupil_id": pupil_id,
        "date": day,
        "parent_acknowledged": acknowledged,
        "attendees": [
            {"name": "Ms Parent", "role": "parent"},
            {"name": "Home Teacher", "role": "key_teacher"},
        ],
        "targets": [{"wording": t, "review_date": "2027-02-01"} for t in targets],
    }
    return entry_op(
        seq,
        "conversation",
        core,
        {"summary": "Agreed next steps", **answers},
        template=CONVERSATION,
    )


@pytest.fixture
def home(world):
    return world["home"]


@pytest.fixture
def pupil(home):
    return home["pupils"][0]  # in the teacher's class and the TA's group; on SEN Support


def set_target(app, enrolment_id, text, review=None):
    with app.app_context():
        enrolment = db.session.get(Enrolment, enrolment_id)
        enrolment.target, enrolment.target_review_date = text, review
        db.session.commit()


def passport(client, pupil_id):
    response = client.get(f"/api/v1/pupils/{pupil_id}/passport")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_assembles_computed_fields_and_suggestions_with_provenance(app, api, home, pupil):
    set_target(app, home["enrolments"][0], "Use 'because' to join two ideas when speaking")
    ta, teacher = api("ta"), api("teacher")
    first = voice(1, pupil, {"feel_school": 4, "enjoy": "Drawing dragons", "hard": "Spelling"})
    stored = push(ta, [first])[0]
    corrected = voice(
        2,
        pupil,
        {
            "feel_school": 4,
            "enjoy": "Drawing dragons and Lego",
            "hard": "Spelling",
            "helps_learn": "Pictures on the board",
            "good_at": "Football",
            "worry": "worried",
            "worry_detail": "Someone at break",
        },
        entry_id=stored["entry_id"],
        base_rev=1,
    )
    gone = push(ta, [voice(3, pupil, {"feel_school": 2, "enjoy": "Nothing"})])[0]
    push(
        ta,
        [
            corrected,
            voice(
                4, pupil, {"feel_school": 2}, entry_id=gone["entry_id"], base_rev=1, deleted=True
            ),
        ],
    )
    push(
        teacher,
        [
            conversation(
                1,
                pupil,
                {
                    "does_well": "Kind to his sister",
                    "barriers": "Gets tired after lunch",
                    "priorities": "Reading at home",
                },
                targets=["Read with an adult 3 times a week"],
            )
        ],
        device="teacher-tablet-1",
    )

    view = passport(teacher, pupil)
    f = view["fields"]
    assert view["status"] == "draft" and view["order"][:5] == [
        "name",
        "dob",
        "photo",
        "started_on",
        "sen_status",
    ]
    assert f["name"]["value"] == "Pupil1 Homeson" and f["dob"]["value"] == "2016-02-10"
    assert f["sen_status"]["value"] == "SEN Support since 4 September 2024"
    assert f["photo"]["value"] is False
    enjoy = f["i_enjoy"]["suggestions"]
    assert [s["text"] for s in enjoy] == ["Drawing dragons and Lego"]  # head only, not deleted
    assert (
        enjoy[0].items()
        >= {
            "entry_id": stored["entry_id"],
            "rev": 2,
            "kind": "pupil_voice",
            "date": "2026-11-03",
            "author": "Home Ta",
            "mode": "independent",
        }.items()
    )
    assert f["what_helps_me"]["suggestions"][0]["text"] == "Pictures on the board"
    assert f["i_find_it_difficult_to"]["suggestions"][0]["text"] == "Spelling"
    assert f["id_like_you_to_know"]["suggestions"][0]["text"] == "Football"
    everything = str(f)
    assert "Someone at break" not in everything  # safeguarding answers never reach a passport
    parents = f["my_parents_think"]["suggestions"]
    assert [s["text"] for s in parents] == ["Kind to his sister", "Gets tired after lunch"]
    assert parents[0]["kind"] == "conversation" and parents[0]["author"] == "Home Teacher"
    targets = f["my_targets"]["items"]
    assert [t["text"] for t in targets] == [
        "Use 'because' to join two ideas when speaking",
        "Read with an adult 3 times a week",
    ]
    assert targets[0]["source"]["intervention"] == "Talk Boost"
    assert targets[1]["source"]["kind"] == "conversation"
    support = f["additional_support"]["items"]
    assert support == [
        {
            "intervention": "Talk Boost",
            "group": "Talk Boost Y4",
            "group_id": home["group"],
            "since": "2026-09-08",
            "frequency": "3 times a week, 30 minutes, 10 weeks (1:4)",
        }
    ]
    assert f["i_enjoy"]["value"] == "" and f["i_enjoy"]["rev"] == 0


def test_ta_sees_targets_but_not_the_parents_words(api, pupil):
    push(api("teacher"), [conversation(1, pupil, {"does_well": "Kind"}, targets=["Read daily"])])
    f = passport(api("ta"), pupil)["fields"]
    assert f["my_parents_think"]["suggestions"] == []
    assert [t["text"] for t in f["my_targets"]["items"]] == ["Read daily"]


def test_latest_conversation_targets_replace_older_ones(api, pupil):
    teacher = api("teacher")
    push(
        teacher,
        [
            conversation(1, pupil, {}, targets=["Old target"], day="2026-09-20"),
            conversation(2, pupil, {}, targets=["New target"], day="2026-11-20"),
        ],
    )
    items = passport(teacher, pupil)["fields"]["my_targets"]["items"]
    assert [t["text"] for t in items] == ["New target"]


def test_stale_patch_is_a_409_conflict_the_senco_resolves(api, pupil):
    teacher, senco = api("teacher"), api("senco")
    path = f"/api/v1/pupils/{pupil}/passport"
    ok = teacher.patch(path, json={"field": "i_enjoy", "value": "Lego", "base_rev": 0})
    assert (
        ok.status_code == 200
        and ok.get_json()["fields"]["i_enjoy"].items()
        >= {"value": "Lego", "rev": 1, "edited_by": "Home Teacher"}.items()
    )
    assert (
        senco.patch(
            path, json={"field": "i_enjoy", "value": "Lego and maths", "base_rev": 1}
        ).status_code
        == 200
    )
    stale = teacher.patch(path, json={"field": "i_enjoy", "value": "Art", "base_rev": 1})
    assert stale.status_code == 409
    conflict = stale.get_json()["conflict"]
    assert (conflict["current_value"], conflict["proposed_value"]) == ("Lego and maths", "Art")
    assert passport(teacher, pupil)["fields"]["i_enjoy"]["value"] == "Lego and maths"
    resolved = senco.post(
        f"/api/v1/passport-conflicts/{conflict['id']}/resolve", json={"choice": "proposed"}
    )
    assert resolved.status_code == 200
    assert passport(senco, pupil)["fields"]["i_enjoy"].items() >= {"value": "Art", "rev": 3}.items()


def test_patch_validation(api, pupil):
    teacher, path = api("teacher"), f"/api/v1/pupils/{pupil}/passport"
    for body in (
        {"field": "i_enjoy", "value": "x"},
        {"field": "name", "value": "x", "base_rev": 0},
        {"field": "i_enjoy", "value": "x", "base_rev": 0, "status": "agreed"},
        {},
        {"status": "published"},
    ):
        assert teacher.patch(path, json=body).status_code == 422, body


def test_status_moves_draft_agreed_shared_acknowledged_and_back_to_draft(api, pupil):
    teacher, path = api("teacher"), f"/api/v1/pupils/{pupil}/passport"
    agreed = teacher.patch(path, json={"status": "agreed"}).get_json()
    assert (agreed["status"], agreed["agreed_on"]) == ("agreed", today_in_london().isoformat())
    early = teacher.patch(path, json={"parent_acknowledged_on": "2026-11-10"})
    assert early.status_code == 422  # not shared yet
    shared = teacher.patch(path, json={"shared_with_parent_on": "2026-11-12"}).get_json()
    assert shared["shared_with_parent_on"] == "2026-11-12"
    assert teacher.patch(path, json={"parent_acknowledged_on": "2026-11-10"}).status_code == 422
    acked = teacher.patch(
        path, json={"parent_acknowledged_on": "2026-11-15", "parent_comments": "Happy with it"}
    ).get_json()
    assert (acked["parent_acknowledged_on"], acked["parent_comments"]) == (
        "2026-11-15",
        "Happy with it",
    )
    edited = teacher.patch(path, json={"field": "what_helps_me", "value": "Breaks", "base_rev": 0})
    assert edited.get_json()["status"] == "draft"
    assert edited.get_json()["agreed_on"] == agreed["agreed_on"]  # when it was last agreed
    teacher.patch(path, json={"status": "agreed"})
    push(teacher, [passport_op(1, pupil, "what_helps_me", "Breaks and a timer", 1)])
    assert passport(teacher, pupil)["status"] == "draft"  # a synced edit reopens it too


def test_only_staff_who_work_with_the_pupil_see_it(api, world, pupil):
    home, other = world["home"], world["other"]
    for role in ("admin", "viewer"):
        assert api(role).get(f"/api/v1/pupils/{pupil}/passport").status_code == 403
    assert (
        api("ta").patch(f"/api/v1/pupils/{pupil}/passport", json={"status": "agreed"}).status_code
        == 403
    )
    cases = [
        ("senco", other["pupils"][0]),
        ("teacher", home["pupils"][3]),
        ("ta", home["pupils"][1]),
        ("senco", 2**40),
    ]
    for role, pupil_id in cases:
        for suffix in ("", "/print"):
            response = api(role).get(f"/api/v1/pupils/{pupil_id}/passport{suffix}")
            assert response.status_code == 404, (role, pupil_id, suffix)
    assert (
        api("teacher")
        .patch(f"/api/v1/pupils/{other['pupils'][0]}/passport", json={"status": "agreed"})
        .status_code
        == 404
    )


def test_every_read_is_audited(app, api, world, pupil):
    senco = api("senco")
    passport(senco, pupil)
    assert senco.get(f"/api/v1/pupils/{pupil}/passport/print").status_code == 200
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "read", AuditEvent.resource == "passports"
            )
        ).all()
        assert [(r.resource_id, r.actor_id, r.school_id, r.detail) for r in rows] == [
            (
                str(pupil),
                world["home"]["staff"]["senco"]["id"],
                world["home"]["school"],
                {"view": v},
            )
            for v in ("json", "print")
        ]


def test_print_shows_a_photo_box_only_with_consent(app, api, pupil):
    senco = api("senco")
    html = senco.get(f"/api/v1/pupils/{pupil}/passport/print").get_data(as_text=True)
    assert "consent given)" not in html and "No consent: no photo" in html
    assert senco.patch(f"/api/v1/pupils/{pupil}", json={"photo_consent": True}).status_code == 200
    html = senco.get(f"/api/v1/pupils/{pupil}/passport/print").get_data(as_text=True)
    assert 'class="photo"' in html and "http" not in html.split("<body>")[1]


def fill_everything(app, api, home, pupil):
    """Every field at its longest: the worst case for the one-page rule."""
    senco = api("senco")
    senco.patch(f"/api/v1/pupils/{pupil}", json={"photo_consent": True, "started_on": "2020-09-03"})
    for field in EDITABLE_FIELDS:
        words = f"{EDITABLE_FIELDS[field]} is a long answer with many words in it. " * 40
        response = senco.patch(
            f"/api/v1/pupils/{pupil}/passport",
            json={"field": field, "value": words[:2000], "base_rev": 0},
        )
        assert response.status_code == 200
    set_target(
        app, home["enrolments"][0], "A very long intervention target " * 30, date(2027, 1, 1)
    )
    push(api("teacher"), [conversation(1, pupil, {}, targets=["Agreed with parents " * 40] * 8)])
    senco.patch(f"/api/v1/pupils/{pupil}/passport", json={"status": "agreed"})
    senco.patch(f"/api/v1/pupils/{pupil}/passport", json={"shared_with_parent_on": "2026-11-12"})
    return senco.get(f"/api/v1/pupils/{pupil}/passport/print").get_data(as_text=True)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def pdf_pages(pdf: bytes) -> int:
    """Page objects in the PDF; Chromium writes page dictionaries uncompressed. Cross-checked
    against the /Count of the page tree so a miscount cannot pass silently."""
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
    counts = {int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", pdf)} | {
        int(n) for n in re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", pdf)
    }
    assert counts == {pages}, (pages, counts)
    return pages


def render(html: str, screenshot: str | None = None) -> int:
    """Print the page as headless Chromium would, and return how many A4 pages it takes."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        skip_unless_ci("Chromium is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 794, "height": 1123})
            page.set_content(html, wait_until="load")
            if screenshot:
                os.makedirs(os.path.dirname(screenshot), exist_ok=True)
                page.emulate_media(media="print")
                page.screenshot(path=screenshot, full_page=True)
            return pdf_pages(page.pdf(format="A4", prefer_css_page_size=True))
        finally:
            browser.close()


def test_print_view_fits_one_side_of_a4(app, api, home, pupil):
    html = fill_everything(app, api, home, pupil)
    assert "…" in html
    assert render(html, screenshot="test-artifacts/passport-print.png") == 1
    empty = api("senco").get(f"/api/v1/pupils/{home['pupils'][3]}/passport/print")
    assert render(empty.get_data(as_text=True)) == 1


def test_a_term_of_daily_sessions_does_not_push_the_pupils_views_out(app, api, home, pupil):
    """Session records name the pupil too, but suggestions come only from entries about them:
    forty later sessions must not crowd out the one pupil-voice entry that had something to say."""
    with app.app_context():
        add_test_templates(home["school"])
    ta = api("ta")
    push(ta, [voice(1, pupil, {"feel_school": 4, "enjoy": "Building with Lego"}, day="2026-09-10")])
    days = [date(2026, 9, 11 + i % 18) for i in range(40)]
    sessions = push(
        ta, [session_op(2 + i, home["group"], [pupil], day=day) for i, day in enumerate(days)]
    )
    assert {r["status"] for r in sessions} == {"accepted"}, sessions[0]
    f = passport(ta, pupil)["fields"]
    assert [s["text"] for s in f["i_enjoy"]["suggestions"]] == ["Building with Lego"]
