"""School forms (issue 14, item 7), walked at a tablet and a phone size: a built-in form copied
(never changed), a question added, moved and previewed on a phone-sized frame, published as
version 1, changed and published as version 2 with version 1 still readable, and the new question
asked in Pupil voice, its answer reaching the server on the version it was filled from."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from server.models import Entry, Template
from tests.browser.conftest import log_in
from tests.browser.test_read_back import wait_all_synced
from tests.browser.test_screens import VIEWPORTS, check_axe, shoot
from tests.browser.test_settings import confirm, quiet, sized

pytestmark = pytest.mark.browser
QUESTION = "Do you like the new reading corner?"


def copy_ks2(page, title):
    page.goto("/#/forms")
    built_in = page.locator("section", has=page.get_by_role("heading", name="Pupil voice")).locator(
        "details"
    )
    if not built_in.evaluate("(d) => d.open"):  # folded once the school has forms of its own
        built_in.locator("summary").click()
    card = page.locator(".form-card", has_text="KS2").filter(has_text="Built in").first
    expect(card).to_be_visible()
    card.get_by_role("button", name="Make a school copy").click()
    expect(page.locator("h1")).to_have_text("New school form")
    page.get_by_label("Form title").fill(title)


def add_yes_no(page):
    page.get_by_label("Type of the new question (My views)").select_option(label="Yes or no")
    page.get_by_role("button", name="Add a question").click()
    card = page.locator(".question-card").last
    expect(card.get_by_label("Question", exact=True)).to_be_focused()
    return card


@pytest.mark.parametrize("size", VIEWPORTS)
def test_a_published_school_form_is_asked_in_pupil_voice(page, live_server, axe_path, size):
    sized(page, size)
    title = f"Our pupil voice {size}"
    log_in(page, live_server, "senco")
    page.goto("/#/forms")
    expect(page.get_by_role("heading", name="Learning walks")).to_be_visible()
    check_axe(page, axe_path, "forms")
    shoot(page, "forms", size)

    copy_ks2(page, title)
    card = add_yes_no(page)
    # Checked before publishing: a question needs its words, beside the question.
    page.get_by_role("button", name="Publish the form").click()
    expect(card.locator(".field-error")).to_contain_text("Question 11 is needed")
    card.get_by_label("Question", exact=True).fill(QUESTION)
    card.get_by_role("button", name="Move up").click()
    moved = page.locator(".question-card").nth(9)
    expect(moved.locator("summary")).to_contain_text(QUESTION)
    expect(moved.get_by_role("button", name="Move up")).to_be_focused()
    expect(moved.locator(".scale-strip")).to_contain_text("Yes")
    page.get_by_role("button", name="Preview on a phone-sized screen").click()
    frame = page.locator(".phone-frame")
    expect(frame.locator("fieldset", has_text=QUESTION)).to_be_visible()
    assert (
        page.evaluate("document.querySelector('.phone-frame').getBoundingClientRect().width") <= 390
    )
    quiet(page)
    check_axe(page, axe_path, "form-edit")
    shoot(page, "form-edit", size)

    # The draft is kept on this device: leaving and coming back loses nothing.
    page.goto("/#/forms")
    page.get_by_role("link", name=f"Carry on with “{title}”").click()
    expect(page.locator(".question-card").nth(9).locator("summary")).to_contain_text(QUESTION)
    page.get_by_role("button", name="Publish the form").click()
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator("main")).to_contain_text("version 1 (the one in use)")
    check_axe(page, axe_path, "form")

    # Version 2 leaves out "What are you good at?"; version 1 still has it.
    page.get_by_role("link", name="Change it (publishes a new version)").click()
    gone = page.locator(".question-card", has_text="What are you good at?")
    gone.get_by_role("button", name="Remove").click()
    confirm(page, "Remove it")
    expect(page.locator(".question-card", has_text="What are you good at?")).to_have_count(0)
    page.get_by_role("button", name="Publish version 2").click()
    expect(page.locator("main")).to_contain_text("version 2 (the one in use)")
    expect(page.locator("main")).not_to_contain_text("What are you good at?")
    page.get_by_role("link", name="Version 1").click()
    expect(page.locator("main")).to_contain_text("What are you good at?")
    quiet(page)
    shoot(page, "form", size)
    template_id = live_server.scalar(select(Template.template_id).where(Template.title == title))
    assert not template_id.startswith(("pv-", "lw-", "session-", "conversation-"))

    # Capture: the school's form is a prompt set in Pupil voice, with its new question.
    page.goto("/#/voice")
    page.get_by_label("Pupil", exact=True).select_option(index=1)
    page.get_by_label("Prompt set").select_option(label=title)
    page.get_by_text("All as a list", exact=True).click()
    page.locator("fieldset", has_text="How do you feel about school?").get_by_text(
        "Happy", exact=True
    ).click()
    asked = page.locator("fieldset", has_text=QUESTION)
    expect(asked).to_be_visible()
    asked.get_by_text("Yes", exact=True).click()
    page.get_by_role("button", name="Save pupil voice").click()
    expect(page.locator("h1")).to_contain_text("Hello")
    wait_all_synced(page)
    entry = live_server.scalar(
        select(Entry).where(Entry.template_id == template_id).order_by(Entry.id.desc()).limit(1)
    )
    assert entry.template_version == 2
    assert True in entry.answers.values()
    assert "good_at" not in entry.answers


def test_a_school_session_form_adds_its_questions_to_the_session_record(page, live_server):
    """A school's own session form (published as the builder would) is offered on the session
    record; its question is answered beside the session's own fields."""
    from copy import deepcopy

    from schemas.templates import builtin_templates
    from server.extensions import db

    home = live_server.world["home"]
    definition = deepcopy(builtin_templates()["session-record"])
    definition.update(id="session-with-resources", title="Session with resources")
    definition["sections"][0]["questions"].append(
        {
            "id": "used_resources",
            "prompt": "Did the pupils use the new resources?",
            "type": "boolean",
            "required": True,
        }
    )
    with live_server.app.app_context():
        if not db.session.scalar(
            select(Template.id).where(Template.template_id == definition["id"])
        ):
            db.session.add(
                Template(
                    school_id=home["school"],
                    template_id=definition["id"],
                    version=1,
                    kind="session_record",
                    title=definition["title"],
                    definition=definition,
                )
            )
            db.session.commit()
    log_in(page, live_server, "ta")
    page.goto("/#/session")
    page.get_by_role("radio", name="Talk Boost Y4").check()
    page.get_by_label("Form").select_option(label="Session with resources")
    page.get_by_role("button", name="Save session").click()
    expect(page.locator(".errors")).to_contain_text(
        "Did the pupils use the new resources?: an answer is needed"
    )
    page.locator("fieldset", has_text="Did the pupils use the new resources?").get_by_text(
        "Yes", exact=True
    ).click()
    page.get_by_role("button", name="Save session").click()
    expect(page.locator("h1")).to_contain_text("Hello")
    wait_all_synced(page)
    entry = live_server.scalar(
        select(Entry)
        .where(Entry.template_id == "session-with-resources")
        .order_by(Entry.id.desc())
        .limit(1)
    )
    assert entry.answers == {"used_resources": True}
