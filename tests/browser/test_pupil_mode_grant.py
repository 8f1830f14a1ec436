"""Pupil mode is enforced by the server (issue 15, point 2): once the tablet is handed over, the
page itself gets 403 from the pupil list and the passport print, online or after an offline
hand-over; the pupil's own answers still reach the server; the right PIN gives the login back.
The PIN is kept only as a PBKDF2 check value with a random salt."""

import time

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from server.models import Entry, PupilModeGrant
from tests.browser.conftest import log_in, start_pupil_mode

pytestmark = pytest.mark.browser
PIN = "573920"
STATUS = """async (path) => (await fetch(path, {credentials: 'same-origin'})).status"""


def statuses(page, pupil_id):
    return [
        page.evaluate(STATUS, "/api/v1/pupils/"),
        page.evaluate(STATUS, f"/api/v1/pupils/{pupil_id}/passport/print"),
        page.evaluate(STATUS, "/api/v1/sync/pull"),
    ]


def until(condition, seconds=15):
    """Wait for a state: poll it (each poll is a round trip) until it holds or time is up."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the state was not reached in time"
        time.sleep(0.05)


def leave(page):
    page.get_by_role("button", name="Staff").click()
    page.get_by_label("Staff PIN to leave pupil mode").fill(PIN)
    page.get_by_role("button", name="Unlock").click()
    expect(page.locator("h1")).not_to_have_text("Staff only")
    page.wait_for_function("document.body.dataset.pupilMode === undefined")


def chosen_pupil(page) -> int:
    return page.evaluate(
        """async () => (await (await import('/js/db.js')).getMeta('pupil_lock')).pupil.id"""
    )


def test_in_pupil_mode_the_page_gets_403_and_the_pin_gives_the_login_back(page, live_server):
    log_in(page, live_server, "ta")
    start_pupil_mode(page, PIN)
    pupil = chosen_pupil(page)
    assert statuses(page, pupil) == [403, 403, 403]
    # The pupil's own answers still go.
    before = live_server.count(Entry, Entry.kind == "pupil_voice")
    page.get_by_role("button", name="Happy", exact=True).click()
    while not page.get_by_role("button", name="Finish").count():
        page.locator(".pupil-nav .button:not(.secondary)").click()
    page.get_by_role("button", name="Finish").click()
    expect(page.locator("h1")).to_have_text("Thank you")
    until(lambda: live_server.count(Entry, Entry.kind == "pupil_voice") == before + 1)
    leave(page)
    until(lambda: page.evaluate(STATUS, "/api/v1/pupils/") == 200)
    assert statuses(page, pupil) == [200, 200, 200]
    ended = live_server.scalar(
        select(PupilModeGrant.ended_by).order_by(PupilModeGrant.id.desc()).limit(1)
    )
    assert ended == "pin"
    # Only a salted PBKDF2 check value is kept, never a plain hash of the PIN.
    stored = page.evaluate(
        """async () => { const db = await import('/js/db.js');
            return [await db.getMeta('pupil_pin'), await db.getMeta('pupil_pin_hash')]; }"""
    )
    assert stored[1] is None
    assert set(stored[0]) == {"salt", "iterations", "check"} and len(stored[0]["salt"]) == 32
    assert stored[0]["iterations"] == 1000  # the server's PIN_KDF_ITERATIONS for tests


def test_an_offline_hand_over_is_enforced_once_the_tablet_is_online(page, context, live_server):
    log_in(page, live_server, "ta")
    context.set_offline(True)
    start_pupil_mode(page, PIN)
    pupil = chosen_pupil(page)
    context.set_offline(False)
    # The first request after the connection returns carries the pupil-mode cookie.
    assert statuses(page, pupil) == [403, 403, 403]
    leave(page)
    until(lambda: page.evaluate(STATUS, "/api/v1/pupils/") == 200)
