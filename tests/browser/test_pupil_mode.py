"""Pupil mode (DESIGN §3, FORMS.md §3) and the offline read views: pupil mode cannot be left
without the staff PIN, its choices are at least 88 px with accessible names, the thank-you shows
and the entry is queued; every new screen passes axe and is photographed at two sizes."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import group_start, log_in
from tests.browser.test_screens import VIEWPORTS, check_axe, shoot

pytestmark = pytest.mark.browser

PIN = "246813"


def hand_over(page):
    page.goto("/#/voice")
    page.get_by_label("Pupil", exact=True).select_option(index=1)
    page.get_by_role("button", name="Hand to pupil").click()
    expect(page.get_by_text("Set a staff PIN before handing over.")).to_be_visible()
    page.get_by_label("Staff PIN for this device").fill("12a")
    page.get_by_role("button", name="Hand to pupil").click()
    expect(page.get_by_text("The PIN must be 4 to 8 digits.")).to_be_visible()
    page.get_by_label("Staff PIN for this device").fill(PIN)
    page.get_by_role("button", name="Hand to pupil").click()
    expect(page.locator("h1")).to_have_text("How do you feel about school?")


def assert_locked(page):
    expect(page.locator("body")).to_have_attribute("data-pupil-mode", "true")
    expect(page.locator(".app-header")).to_be_hidden()
    assert page.evaluate("location.hash") == "#/pupil"


def test_pupil_mode_is_locked_until_the_staff_pin(page, live_server, axe_path):
    log_in(page, live_server, "ta")
    hand_over(page)
    assert_locked(page)
    page.evaluate("document.getElementById('announce').textContent = ''")

    # Very large faces with their words as accessible names.
    faces = page.locator(".pupil-choice")
    expect(faces).to_have_count(5)
    for word in ["Very sad", "Sad", "OK", "Happy", "Very happy"]:
        button = page.get_by_role("button", name=word, exact=True)
        box = button.bounding_box()
        assert box["width"] >= 88 and box["height"] >= 88, (word, box)
    for size, (width, height) in VIEWPORTS.items():
        page.set_viewport_size({"width": width, "height": height})
        for i in range(5):
            box = faces.nth(i).bounding_box()
            assert box["width"] >= 88 and box["height"] >= 88, (size, i, box)
        check_axe(page, axe_path, f"pupil-{size}")
        shoot(page, "pupil", size)
    page.set_viewport_size({"width": 768, "height": 1024})

    # The browser back, a typed address and a stray link all keep the pupil in.
    page.go_back()
    page.wait_for_timeout(200)
    assert_locked(page)
    expect(page.locator("h1")).to_have_text("How do you feel about school?")
    page.evaluate("location.hash = '#/home'")
    page.wait_for_timeout(200)
    assert_locked(page)
    expect(page.locator("h1")).to_have_text("How do you feel about school?")

    # The first question is required: Next waits for an answer.
    expect(page.get_by_role("button", name="Next")).to_be_disabled()
    page.get_by_role("button", name="Happy", exact=True).click()
    expect(page.get_by_role("button", name="Happy", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    page.get_by_role("button", name="Next").click()

    # A wrong PIN is refused and the pupil stays in.
    page.get_by_role("button", name="Staff").click()
    page.get_by_label("Staff PIN to leave pupil mode").fill("1111")
    page.get_by_role("button", name="Unlock").click()
    expect(page.locator("#pin-message")).to_contain_text("not right")
    assert_locked(page)
    check_axe(page, axe_path, "pupil-pin")
    page.get_by_role("button", name="Back to the questions").click()
    expect(page.locator("h1")).to_have_text("What are you good at?")

    # Typed comment on a text question, then go through the rest; say "worried".
    page.locator("#pupil-text").fill("Drawing and football")
    while True:
        if page.locator(".pupil-choice[data-value='worried']").count():
            page.locator(".pupil-choice[data-value='worried']").click()
        if page.get_by_role("button", name="Finish").count():
            break
        page.locator(".pupil-nav .button:not(.secondary)").click()
    page.get_by_role("button", name="Finish").click()
    expect(page.locator("h1")).to_have_text("Thank you")
    # The pupil sees only the thank-you: nothing about concerns or safeguarding.
    assert "safeguard" not in page.locator("main").inner_text().lower()
    check_axe(page, axe_path, "pupil-thanks")
    shoot(page, "pupil-thanks", "tablet")

    ops = page.evaluate("""async () => {
        const db = await import('/js/db.js');
        return (await db.getOps()).map((r) => r.op.entry);
    }""")
    voice = [e for e in ops if e["kind"] == "pupil_voice"]
    assert len(voice) == 1
    assert voice[0]["core"]["mode"] == "independent"
    assert voice[0]["core"]["context"] == "termly_review"
    assert voice[0]["answers"]["feel_school"] == 4
    assert voice[0]["answers"]["good_at"] == "Drawing and football"
    assert voice[0]["answers"]["worry"] == "worried"

    # A reload does not escape pupil mode either.
    page.reload()
    expect(page.locator("h1")).to_have_text("Thank you")
    assert_locked(page)

    # The right PIN leaves.
    page.get_by_role("button", name="Staff").click()
    page.get_by_label("Staff PIN to leave pupil mode").fill(PIN)
    page.get_by_role("button", name="Unlock").click()
    expect(page.locator("h1")).to_have_text("Pupil voice")
    expect(page.locator(".app-header")).to_be_visible()
    assert page.evaluate("document.body.dataset.pupilMode") is None


def open_passport(page):
    page.goto("/#/passport")
    page.get_by_label("Pupil", exact=True).select_option(index=1)
    expect(page.get_by_role("link", name="Print passport")).to_be_visible()


def test_passport_reads_in_words_not_data(page, live_server):
    """Computed fields read as the printed passport words them: never true/false or raw JSON."""
    log_in(page, live_server, "senco")
    open_passport(page)
    view = page.locator("#passport-view")
    started = group_start()
    expect(view).to_contain_text(
        "Talk Boost Y4: 3 times a week, 30 minutes, "
        f"10 weeks (1:4), since {started:%a} {started.day} "
        f"{'Sept' if started.month == 9 else f'{started:%b}'} {started:%Y}"
    )
    expect(view).to_contain_text("No consent: no photo")
    text = view.inner_text()
    assert "{" not in text and "false" not in text, text


def open_provision(page):
    page.goto("/#/provision")
    expect(page.locator(".as-of")).to_be_visible()


def open_reviews(page):
    page.goto("/#/reviews")
    expect(page.locator(".as-of")).to_be_visible()


def open_status(page):
    page.goto("/#/status")
    expect(page.locator("#last-pull")).not_to_have_text("Not yet")


READ_VIEWS = [
    ("passport", open_passport),
    ("provision", open_provision),
    ("reviews", open_reviews),
    ("status", open_status),
]


@pytest.mark.parametrize("size", VIEWPORTS)
def test_read_views_pass_axe_work_offline_and_are_photographed(
    page, context, live_server, axe_path, size
):
    width, height = VIEWPORTS[size]
    page.set_viewport_size({"width": width, "height": height})
    log_in(page, live_server, "senco")
    for link in ["Pupil passports", "Provision map", "Reviews due", "Sync status"]:
        expect(page.get_by_role("link", name=link)).to_be_visible()
    for screen, open_screen in READ_VIEWS:
        open_screen(page)
        page.evaluate("document.getElementById('announce').textContent = ''")
        check_axe(page, axe_path, screen)
        shoot(page, screen, size)
    # Offline: the saved copies are shown.
    context.set_offline(True)
    page.goto("/#/home")
    page.evaluate("location.hash = '#/provision'")
    expect(page.locator(".as-of")).to_contain_text("Saved copy")
    expect(page.locator("#map-groups .card").first).to_be_visible()
    page.evaluate("location.hash = '#/passport'")
    expect(page.get_by_role("link", name="Print passport")).to_be_visible()
    expect(page.locator(".as-of")).to_contain_text("Saved copy")
    page.evaluate("location.hash = '#/reviews'")
    expect(page.locator(".as-of")).to_contain_text("Saved copy")
    context.set_offline(False)
