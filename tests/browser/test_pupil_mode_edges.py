"""Pupil mode's rough edges (issue 12): it opens at the top, "Skip" becomes "Next" once a text
answer is typed, a follow-up is asked only after the answer it follows, the intervention staff
chose is named in its question, and staff who leave half-way choose to keep the answers as a
partial entry (sent through the outbox like a full one) or, after a second "are you sure",
discard them."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, start_pupil_mode
from tests.browser.test_screens import VIEWPORTS, check_axe, shoot

pytestmark = pytest.mark.browser

PIN = "246813"
FIRST = "How do you feel about school?"
WORRY = "Is there anything you worry about at school?"
WORRY_DETAIL = "What do you worry about at school?"
DRAWING = "Would you like to draw a picture about school?"


def go_on(page):
    """The forward button (Next, Skip or Finish)."""
    return page.locator(".pupil-nav .button:not(.secondary)")


def advance_to(page, prompt):
    """Go forward question by question until `prompt` shows; answers the required first one."""
    heading = page.locator("h1")
    for _ in range(12):
        current = heading.inner_text()
        if current == prompt:
            return
        if current == FIRST and page.locator(".pupil-choice[aria-pressed='true']").count() == 0:
            page.get_by_role("button", name="Happy", exact=True).click()
        go_on(page).click()
        expect(heading).not_to_have_text(current)
    raise AssertionError(f"never reached {prompt!r}")


def in_view(page, locator):
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height, box


def leave_with_pin(page):
    page.get_by_role("button", name="Staff").click()
    page.get_by_label("Staff PIN to leave pupil mode").fill(PIN)
    page.get_by_role("button", name="Unlock").click()


def voice_ops(page):
    return page.evaluate("""async () => {
        const db = await import('/js/db.js');
        return (await db.getOps()).filter((r) => r.op.entry.kind === 'pupil_voice')
          .map((r) => ({ state: r.state, summary: r.summary, entry: r.op.entry }));
    }""")


@pytest.mark.parametrize("size", VIEWPORTS)
def test_pupil_mode_opens_at_the_top(page, live_server, size):
    width, height = VIEWPORTS[size]
    page.set_viewport_size({"width": width, "height": height})
    log_in(page, live_server, "ta")
    # The hand-over button is low on the voice screen: tapping it scrolls the page down.
    start_pupil_mode(page, PIN)
    expect(page.locator("h1")).to_have_text(FIRST)
    page.wait_for_function("window.scrollY === 0", timeout=3000)
    # The first question fits the screen: nothing to scroll, so no swipe (or scroll restored on a
    # reload) can push its top out of view. It used to be 24 px (phone) or 32 px too tall.
    assert page.evaluate("window.scrollTo(0, 1000), window.scrollY") == 0
    expect(page.locator(".pupil-progress")).to_contain_text("Question 1 of")
    for target in (
        page.locator(".pupil-progress"),
        page.locator("h1"),
        page.get_by_role("button", name="Staff"),
    ):
        in_view(page, target)
    # Every next question opens at the top too, even when the pupil scrolled down to go on.
    page.get_by_role("button", name="Happy", exact=True).click()
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    go_on(page).click()
    expect(page.locator("h1")).to_have_text("What are you good at?")
    page.wait_for_function("window.scrollY === 0", timeout=3000)
    in_view(page, page.get_by_role("button", name="Staff"))


def test_a_text_answer_turns_skip_into_next(page, live_server):
    log_in(page, live_server, "ta")
    start_pupil_mode(page, PIN)
    advance_to(page, "What are you good at?")
    expect(go_on(page)).to_have_text("Skip")
    page.locator("#pupil-text").fill("Lego and maths")
    expect(go_on(page)).to_have_text("Next")
    expect(page.locator("#pupil-text")).to_be_focused()
    page.locator("#pupil-text").fill("   ")
    expect(go_on(page)).to_have_text("Skip")
    page.locator("#pupil-text").fill("Lego")
    go_on(page).click()
    expect(page.locator("h1")).to_have_text("What do you enjoy at school?")
    page.get_by_role("button", name="Previous question").click()
    expect(page.locator("#pupil-text")).to_have_value("Lego")
    expect(go_on(page)).to_have_text("Next")


def test_what_worries_you_is_asked_only_after_a_worry(page, live_server, axe_path):
    log_in(page, live_server, "ta")
    start_pupil_mode(page, PIN)
    advance_to(page, WORRY)
    expect(page.locator(".pupil-progress")).to_have_text("Question 8 of 9")
    page.get_by_role("button", name="No", exact=True).click()
    go_on(page).click()
    expect(page.locator("h1")).to_have_text(DRAWING)
    expect(page.locator(".pupil-progress")).to_have_text("Question 9 of 9")

    page.get_by_role("button", name="Previous question").click()
    page.get_by_role("button", name="Yes, something worries me").click()
    expect(page.locator(".pupil-progress")).to_have_text("Question 8 of 10")
    go_on(page).click()
    expect(page.locator("h1")).to_have_text(WORRY_DETAIL)
    check_axe(page, axe_path, "pupil-follow-up")
    page.locator("#pupil-text").fill("Spelling tests")

    # Changing the answer back drops the follow-up and what was typed there.
    page.get_by_role("button", name="Previous question").click()
    page.get_by_role("button", name="No", exact=True).click()
    go_on(page).click()
    expect(page.locator("h1")).to_have_text(DRAWING)
    page.get_by_role("button", name="Finish").click()
    expect(page.locator("h1")).to_have_text("Thank you")
    [op] = voice_ops(page)
    assert op["entry"]["answers"]["worry"] == "no_worries"
    assert "worry_detail" not in op["entry"]["answers"]
    # The server takes it (it refuses an answer to a question that was not asked).
    leave_with_pin(page)
    expect(page.locator("h1")).to_have_text("Pupil voice")
    page.get_by_role("button", name="Sync now").click()
    page.wait_for_function("""async () => {
        const db = await import('/js/db.js');
        return (await db.getOps()).every((r) => r.state === 'done');
    }""")


HAND_OVER_SCRIPT = """async ({ pin, context, named }) => {
    const db = await import('/js/db.js');
    const { go } = await import('/js/app.js');
    const { handOver } = await import('/js/views/pupil.js');
    const { setPin } = await import('/js/views/pupil-pin.js');
    await setPin(pin);
    const pupil = (await db.getRecords('pupil')).find((p) => p.year_group === '4');
    const template = (await db.getRecords('template')).find((t) => t.template_id === 'pv-ks2');
    // As views/voice.js hands over: the group the review is about, by id and name.
    const group = (await db.getRecords('group')).find((g) => g.name === 'Talk Boost Y4');
    const intervention = named ? { id: group.id, name: group.name } : null;
    await handOver({ pupil, template, context, intervention }, go);
    return group.id;
}"""


@pytest.mark.parametrize(
    "named,prompt",
    [
        (True, "How do you feel about Talk Boost Y4?"),
        (False, "How do you feel about your group sessions?"),
    ],
)
def test_the_chosen_intervention_is_named(page, live_server, named, prompt):
    log_in(page, live_server, "ta")
    page.goto("/#/voice")
    expect(page.locator("h1")).to_have_text("Pupil voice")
    group_id = page.evaluate(
        HAND_OVER_SCRIPT, {"pin": PIN, "context": "intervention_review", "named": named}
    )
    expect(page.locator("h1")).to_have_text(FIRST)
    advance_to(page, prompt)
    # Still named after a reload: the choice is kept with the lock (once the step is stored).
    page.wait_for_function("""async () => {
        const db = await import('/js/db.js');
        const shown = document.querySelector('.pupil-progress').textContent.match(/\\d+/)[0];
        return (await db.getMeta('pupil_lock')).index === Number(shown) - 1;
    }""")
    page.reload()
    expect(page.locator("h1")).to_have_text(prompt)
    page.get_by_role("button", name="Happy", exact=True).click()
    advance_to(page, DRAWING)
    page.get_by_role("button", name="Finish").click()
    expect(page.locator("h1")).to_have_text("Thank you")
    [op] = voice_ops(page)
    assert op["entry"]["answers"]["intervention"] == 4
    assert op["entry"]["core"]["group_id"] == (group_id if named else None)
    # The server takes the group as the one the review is about.
    expect(page.locator("#unsynced")).to_have_text("All synced", timeout=20000)


def test_leaving_half_way_keeps_the_answers_as_a_partial_entry(page, live_server, axe_path):
    log_in(page, live_server, "ta")
    start_pupil_mode(page, PIN)
    page.get_by_role("button", name="Happy", exact=True).click()
    go_on(page).click()
    page.locator("#pupil-text").fill("Lego")
    leave_with_pin(page)
    expect(page.locator("h1")).to_have_text("Keep the answers given so far?")
    expect(page.locator("main")).to_contain_text("gave 2 answers before pupil mode was left")
    assert page.evaluate("document.body.dataset.pupilMode") == "true"
    for size, (width, height) in VIEWPORTS.items():
        page.set_viewport_size({"width": width, "height": height})
        check_axe(page, axe_path, f"pupil-keep-{size}")
        shoot(page, "pupil-keep", size)
        for name in ("Save as a partial entry", "Discard", "Back to the questions"):
            box = page.get_by_role("button", name=name).bounding_box()
            assert box["height"] >= 44 and box["width"] >= 44, (size, name, box)
    page.set_viewport_size({"width": 768, "height": 1024})
    page.get_by_role("button", name="Save as a partial entry").click()
    expect(page.locator("h1")).to_have_text("Pupil voice")
    assert page.evaluate("document.body.dataset.pupilMode") is None

    [op] = voice_ops(page)
    assert op["entry"]["core"]["partial"] is True
    assert op["entry"]["answers"] == {"feel_school": 4, "good_at": "Lego"}
    assert "partial" in op["summary"]
    # Sent like a full entry, and the server keeps it.
    page.get_by_role("button", name="Sync now").click()
    page.wait_for_function("""async () => {
        const db = await import('/js/db.js');
        return (await db.getOps()).every((r) => r.state === 'done');
    }""")


def test_discarding_needs_a_second_yes_and_nothing_given_just_leaves(page, live_server, axe_path):
    log_in(page, live_server, "ta")
    start_pupil_mode(page, PIN)
    page.get_by_role("button", name="Sad", exact=True).click()
    leave_with_pin(page)
    expect(page.locator("h1")).to_have_text("Keep the answers given so far?")
    expect(page.locator("main")).to_contain_text("gave 1 answer before")

    # Back to the questions: the pupil carries on where they were.
    page.get_by_role("button", name="Back to the questions").click()
    expect(page.locator("h1")).to_have_text(FIRST)
    expect(page.get_by_role("button", name="Sad", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    leave_with_pin(page)
    page.get_by_role("button", name="Discard").click()
    expect(page.locator("h1")).to_have_text("Discard the answers?")
    check_axe(page, axe_path, "pupil-discard")
    shoot(page, "pupil-discard", "tablet")
    page.get_by_role("button", name="No, go back").click()
    expect(page.locator("h1")).to_have_text("Keep the answers given so far?")
    page.get_by_role("button", name="Discard").click()
    page.get_by_role("button", name="Yes, discard the answers").click()
    expect(page.locator("h1")).to_have_text("Pupil voice")
    assert voice_ops(page) == []

    # Nothing given: the PIN just leaves, as before.
    page.get_by_label("Pupil", exact=True).select_option(index=1)
    page.get_by_role("button", name="Hand to pupil").click()
    expect(page.locator("h1")).to_have_text(FIRST)
    leave_with_pin(page)
    expect(page.locator("h1")).to_have_text("Pupil voice")
    assert voice_ops(page) == []
