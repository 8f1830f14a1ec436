"""The passport editor, walked at tablet and phone size by the SENCO: a suggestion from pupil
voice sits beside its field with its source in words, is added to the passport, the passport is
agreed and shared (a wrong acknowledgement day refused in words), a stale edit shows both
versions and is resolved in place, and the printed passport shows the accepted words."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.casework_support import client, confirm, look, new_pupil, push_voice, sized
from tests.browser.conftest import log_in
from tests.browser.test_pupil_page import friendly

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", ["tablet", "phone"])
def test_a_suggestion_is_accepted_agreed_shared_and_printed(page, live_server, axe_path, size):
    pupil = new_pupil(live_server, "Passport", size.title())
    words = f"Building with Lego ({size})"
    push_voice(live_server, pupil, {"enjoy": words, "hard": "Long writing tasks"})
    sized(page, size)
    log_in(page, live_server, "senco")
    page.goto(f"/#/passport/{pupil}")
    enjoy = page.locator("#field-i_enjoy")
    suggestion = enjoy.locator(".suggestion", has_text=words)
    expect(suggestion).to_be_visible()
    expect(suggestion.locator(".source")).to_have_text(
        f"From pupil voice, {friendly(date.today())}"
    )
    expect(page.locator("#suggestion-count")).to_contain_text("2 suggestions")
    look(page, axe_path, "passport-editor", size)

    # Accept: the words go into the field and are saved; the suggestion is used up.
    suggestion.get_by_role("button", name="Add to passport").click()
    expect(enjoy.locator(".field-status")).to_have_text("Saved.")
    expect(enjoy.locator("textarea")).to_have_value(words)
    expect(enjoy.locator(".suggestion")).to_have_count(0)

    # Dismiss the other one: it is kept dismissed, and can be brought back.
    hard = page.locator("#field-i_find_it_difficult_to")
    hard.get_by_role("button", name="Dismiss").click()
    expect(hard.locator("details.dismissed summary")).to_have_text("Dismissed (1)")

    # Agree, then share; an acknowledgement before the sharing day is refused beside its field.
    page.locator("#mark-agreed").click()
    confirm(page, "Mark as agreed")
    expect(page.locator("#status-facts")).to_contain_text(f"Agreed {friendly(date.today())}")
    shared, acked = date.today() - timedelta(days=3), date.today() - timedelta(days=5)
    page.get_by_label("Shared with the parent on").fill(shared.isoformat())
    page.get_by_label("Parent acknowledged on").fill(acked.isoformat())
    page.get_by_role("button", name="Save sharing details").click()
    problem = page.locator('[data-field="parent_acknowledged_on"] .field-problem')
    expect(problem).to_contain_text("cannot be before the day it was shared")
    page.get_by_label("Parent acknowledged on").fill(date.today().isoformat())
    page.get_by_label("Parent's comments").fill("Happy with it")
    page.get_by_role("button", name="Save sharing details").click()
    expect(page.locator("#status-facts")).to_contain_text(
        f"Parent acknowledged {friendly(date.today())}"
    )

    # A teacher changes the field meanwhile; the SENCO's next save shows both and resolves.
    teacher = client(live_server, "teacher")
    rev = teacher.get(f"/api/v1/pupils/{pupil}/passport").get_json()["fields"]["i_enjoy"]["rev"]
    teacher.patch(
        f"/api/v1/pupils/{pupil}/passport",
        json={"field": "i_enjoy", "value": "Football", "base_rev": rev},
    )
    enjoy.locator("textarea").fill(f"{words} and drawing")
    enjoy.get_by_role("button", name="Save", exact=True).click()
    conflict = enjoy.locator(".conflict")
    expect(conflict).to_contain_text("Football")
    expect(conflict).to_contain_text(f"{words} and drawing")
    look(page, axe_path, "passport-conflict", size)
    conflict.get_by_role("button", name="Use the proposed one").click()
    expect(enjoy.locator(".conflict")).to_have_count(0)
    expect(enjoy.locator("textarea")).to_have_value(f"{words} and drawing")
    # Any change makes an agreed passport a draft again, and the page says so.
    expect(page.locator("#status-facts")).to_contain_text("Draft")

    # What a user checks last: the printed passport carries the accepted words.
    with page.context.expect_page() as opened:
        page.locator("#print-passport").click()
    printed = opened.value
    printed.wait_for_load_state()
    expect(printed.locator("body")).to_contain_text(f"{words} and drawing")
    expect(printed.locator("body")).not_to_contain_text("Long writing tasks")
    printed.close()
