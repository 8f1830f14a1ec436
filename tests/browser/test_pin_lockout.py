"""The staff PIN in pupil mode rests after five wrong tries (30 s, then doubling), even for the
right PIN, and a reload does not reset it. Time is moved with Playwright's page clock. The pupil
is shown a calm message and never a countdown; staff are told a clock time."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, start_pupil_mode
from tests.browser.test_screens import VIEWPORTS, check_axe, shoot

pytestmark = pytest.mark.browser
PIN = "8642"


def try_pin(page, pin):
    page.get_by_label("Staff PIN to leave pupil mode").fill(pin)
    page.get_by_role("button", name="Unlock").click()


def wrong_five_times(page):
    for _ in range(4):
        try_pin(page, "1111")
        expect(page.locator("#pin-message")).to_have_text(
            "That PIN is not right. Pupil mode stays on."
        )
        expect(page.locator("#pin-rest")).to_be_hidden()
        page.locator("#pin-message").evaluate("el => el.textContent = ''")  # see each answer anew
    try_pin(page, "1111")
    assert_resting(page)


def assert_resting(page):
    expect(page.locator("#pin-rest")).to_have_text("Please ask a member of staff.")
    expect(page.locator("#pin-message")).to_contain_text("The PIN can be tried again from")
    message = page.locator("#pin-message").inner_text()
    assert re.search(r"from \d{2}:\d{2}\.$", message), message
    # No countdown anywhere: nothing counts seconds or minutes down at the pupil.
    text = page.locator("main").inner_text().lower()
    assert "second" not in text and "minute" not in text
    expect(page.locator("h1")).to_have_text("Staff only")
    expect(page.locator("body")).to_have_attribute("data-pupil-mode", "true")


def test_pin_rests_after_five_wrong_tries_and_survives_a_reload(page, live_server, axe_path):
    page.clock.install()
    log_in(page, live_server, "ta")
    start_pupil_mode(page, PIN)
    page.get_by_role("button", name="Staff").click()
    wrong_five_times(page)

    # While resting, even the right PIN is refused.
    try_pin(page, PIN)
    assert_resting(page)
    for size, (width, height) in VIEWPORTS.items():
        page.set_viewport_size({"width": width, "height": height})
        check_axe(page, axe_path, f"pin-rest-{size}")
        shoot(page, "pupil-pin-rest", size)
    page.set_viewport_size({"width": 768, "height": 1024})

    # A reload keeps pupil mode AND the rest.
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-pupil-mode", "true")
    page.get_by_role("button", name="Staff").click()
    assert_resting(page)
    try_pin(page, PIN)
    assert_resting(page)

    # After the first rest (30 s) the right PIN works again.
    page.clock.fast_forward("00:31")
    try_pin(page, PIN)
    expect(page.locator("h1")).to_have_text("Pupil voice")
    assert page.evaluate("document.body.dataset.pupilMode") is None


def test_rests_double_and_a_right_pin_resets_them(page, live_server):
    page.clock.install()
    log_in(page, live_server, "ta")
    start_pupil_mode(page, PIN)
    page.get_by_role("button", name="Staff").click()
    wrong_five_times(page)
    page.clock.fast_forward("00:31")
    # Five more wrong tries after the first rest: the second rest is 60 s.
    wrong_five_times(page)
    page.clock.fast_forward("00:31")
    try_pin(page, PIN)
    assert_resting(page)
    page.clock.fast_forward("00:30")
    try_pin(page, PIN)
    expect(page.locator("h1")).to_have_text("Pupil voice")

    # Unlocked with the right PIN: the count starts again from nothing (one wrong try is just wrong).
    start_pupil_mode(page, "")
    page.get_by_role("button", name="Staff").click()
    expect(page.locator("#pin-rest")).to_be_hidden()
    try_pin(page, "1111")
    expect(page.locator("#pin-message")).to_have_text("That PIN is not right. Pupil mode stays on.")
    try_pin(page, PIN)
    expect(page.locator("h1")).to_have_text("Pupil voice")
