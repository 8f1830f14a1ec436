"""Print views of a conversation with parents and a learning walk: plain English from the
template's own headings and labels, scoped and cut like every read of entries, never carrying
safeguarding content, audited. (tests/browser/test_print_pdf.py prints them in Chromium.)"""

import re

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import AuditEvent
from tests.entry_builders import conversation_op, walk_op
from tests.sync_support import add_test_templates, voice_op
from tests.test_sync_push import push

ISO_DATE = re.compile(r"\b20\d\d-\d\d-\d\d\b")
CODES = (
    "present_for_part",
    "key_teacher",
    "learning_teaching",
    "monitor_practice",
    "whole_class",
    "small_group",
    "visual_timetables",
    "red",
    "amber",
    "green",
    "None",
    "True",
    "False",
)
CONCERN = "Dad mentioned he has been sleeping in the car"


@pytest.fixture
def home(app, world):
    with app.app_context():
        add_test_templates(world["home"]["school"])
    return world["home"]


def printed(client, entry_id, status=200) -> str:
    response = client.get(f"/api/v1/entries/{entry_id}/print")
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    if status == 200:
        assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def visible_text(html: str) -> str:
    """The words a reader sees: tags and the stylesheet taken out."""
    body = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def assert_plain_english(html: str) -> None:
    text = visible_text(html)
    assert not ISO_DATE.search(text), ISO_DATE.search(text)
    for code in CODES:
        assert not re.search(rf"\b{code}\b", text), code
    assert "_" not in text


def test_a_conversation_prints_in_plain_english_from_its_template(api, home):
    pupil = home["pupils"][0]
    entry_id = push(api("teacher"), [conversation_op(1, pupil)])[0]["entry_id"]
    html = printed(api("teacher"), entry_id)
    text = visible_text(html)
    assert "<title>Structured conversation with parents: Pupil1 Homeson, Wednesday 2 December 2026"
    assert "Structured conversation with parents: Pupil1 Homeson" in text
    assert "Home Primary" in text and "Wednesday 2 December 2026" in text
    for who in (
        "Mrs Amber Lane (Parent)",
        "Mr Robin Lane (Carer)",
        "Ms Home Teacher (Key teacher)",
    ):
        assert who in text, who
    assert "Pupil1 was at part of the meeting." in text
    # The four stages, in order, with the template's own prompts.
    stages = [text.index(f" {title} ") for title in ("Explore", "Focus", "Plan", "Review")]
    assert stages == sorted(stages)
    assert "What does your child do well?" in text
    assert "Drawing and making things" in text
    assert "Which short-term activities or goals might improve well-being" in text
    # Targets and actions, with friendly dates.
    assert "To read and follow a three-step written instruction on her own." in text
    assert "Three times in a week in English lessons." in text
    assert "Wednesday 10 February 2027" in text
    assert "Make a visual timetable for her desk" in text and "Monday 7 December 2026" in text
    assert "Share the reading diary every Friday Mum No date set" in text
    assert "Next meeting date Wednesday 10 February 2027" in text
    assert "How will we keep in touch? A short note in the home-school book" in text
    # Follow-up in words, and the parent's acknowledgement.
    assert "Duration (minutes) 40" in text
    assert (
        "When other staff were informed of the outcome Wednesday 2 December 2026 at 3.30pm" in text
    )
    assert "Parent has acknowledged the record No" in text
    assert "Parent or carer's acknowledgement" in text and "Signature" in text
    assert "Recorded by Home Teacher on" in text
    assert "safeguarding" not in text
    assert_plain_english(html)


def test_the_print_has_no_script_and_a_csp_that_allows_only_its_own_stylesheet(api, home):
    entry_id = push(api("teacher"), [conversation_op(1, home["pupils"][0])])[0]["entry_id"]
    response = api("teacher").get(f"/api/v1/entries/{entry_id}/print")
    html = response.get_data(as_text=True)
    assert "<script" not in html and "style=" not in html and "http" not in html.split("</head>")[1]
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy
    assert re.search(r"style-src 'sha256-[A-Za-z0-9+/=]+'", policy)
    assert "@page { size: A4 portrait" in html and response.headers["Cache-Control"] == "no-store"


def test_a_learning_walk_prints_each_judgement_in_words_and_shapes(api, home):
    entry_id = push(api("senco"), [walk_op(1, home["classes"])])[0]["entry_id"]
    html = printed(api("senco"), entry_id)
    text = visible_text(html)
    assert "Learning walk: Inclusive classroom look-fors" in text
    assert "Tuesday 1 December 2026" in text
    assert "Mrs Senco Person (Learning &amp; teaching)" in text
    assert "Mr Governor Example (Environment)" in text
    assert "Monitor practice, Promote consistency" in text
    # Stops: class with year, or area; time; context in words.
    assert "1. Oak (Year 4), 9.10am (Whole class)" in text
    assert "2. Ash (Year 5), 9.35am (Small group)" in text
    assert "3. Library corner, 10am (1:1)" in text
    assert "5. Playground, 11.15am (Unstructured time)" in text
    assert "Visual timetables are in place and used ■ Not yet" in text
    assert "Writing frames are available and used ▲ Getting there" in text
    assert "● Secure Used well: pupils referred to it without prompting. (Observed)" in text
    # The summary counts: visual timetables were green, amber, green, red, amber, green.
    assert "Visual timetables are in place and used 1 2 3" in text
    assert "All look-fors 3 11 16" in text
    assert "Writing frames are not yet used consistently" in text
    assert "Share writing frames at staff meeting SENCO Friday 8 January 2027" in text
    assert "Revisit peer mentoring in Ash class Year 5 teacher No date set" in text
    assert "Parent or carer" not in text
    assert_plain_english(html)


def test_a_print_is_read_as_get_reads_it_a_404_when_not_yours(api, world, home):
    talk = push(api("teacher"), [conversation_op(1, home["pupils"][0])])[0]["entry_id"]
    walk = push(api("senco"), [walk_op(1, home["classes"])])[0]["entry_id"]
    printed(api("senco"), talk)
    for role, entry_id in (("ta", talk), ("viewer", talk), ("admin", talk), ("teacher", walk)):
        body = api(role).get(f"/api/v1/entries/{entry_id}/print").get_json()
        assert body["code"] == 404 and body["message"] == f"No entry with id {entry_id}.", role
    assert api("senco", school="other").get(f"/api/v1/entries/{talk}/print").status_code == 404
    assert api("senco").get("/api/v1/entries/nonsense/print").status_code == 404


def test_other_kinds_are_a_422_and_withdrawn_records_a_410(api, home):
    voice = push(api("ta"), [voice_op(1, home["pupils"][0])])[0]["entry_id"]
    body = api("ta").get(f"/api/v1/entries/{voice}/print").get_json()
    assert body["code"] == 422
    assert (
        body["message"] == "Only conversations with parents and learning walks have a print view."
    )
    talk = push(api("teacher"), [conversation_op(1, home["pupils"][0])])[0]["entry_id"]
    gone = conversation_op(2, home["pupils"][0], entry_id=talk, base_rev=1, deleted=True)
    assert push(api("teacher"), [gone])[0]["status"] == "accepted"
    assert api("teacher").get(f"/api/v1/entries/{talk}/print").status_code == 410


@pytest.mark.parametrize("role", ["teacher", "senco"])
def test_no_print_carries_safeguarding_content_and_says_something_was_held(api, home, role):
    op = conversation_op(
        1, home["pupils"][0], core={"flagged_concern": True, "concern_note": CONCERN}
    )
    entry_id = push(api("teacher"), [op])[0]["entry_id"]
    senco_copy = api("senco").get(f"/api/v1/entries/{entry_id}").get_json()
    assert senco_copy["core"]["concern_note"] == CONCERN  # the SENCO reads it in the app
    text = visible_text(printed(api(role), entry_id))
    assert CONCERN not in text and "sleeping" not in text
    assert "kept by the school's safeguarding lead and are not printed here" in text


def test_every_print_is_audited(app, api, home):
    talk = push(api("teacher"), [conversation_op(1, home["pupils"][0])])[0]["entry_id"]
    walk = push(api("senco"), [walk_op(1, home["classes"])])[0]["entry_id"]
    printed(api("teacher"), talk)
    printed(api("senco"), walk)
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.resource == "entries", AuditEvent.action == "read")
            .order_by(AuditEvent.id)
        ).all()
        assert [(r.actor_id, r.resource_id, r.detail) for r in rows] == [
            (
                home["staff"]["teacher"]["id"],
                talk,
                {"view": "print", "conversations": [talk], "safeguarding": []},
            ),
            (
                home["staff"]["senco"]["id"],
                walk,
                {"view": "print", "conversations": [], "safeguarding": []},
            ),
        ]


def test_the_print_view_is_in_the_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/entries/{entry_id}/print"]["get"]
    assert "text/html" in operation["responses"]["200"]["content"]
