"""The home screen offers each role only what the server lets it use (tests/test_role_matrix.py):
a viewer (head or governor) sees aggregates only, so no capture, passports, reviews or pupil
lists; a typed address to a screen the role cannot use goes home."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.browser.test_screens import VIEWPORTS, check_axe, shoot

pytestmark = pytest.mark.browser

CAPTURE = {"Session record", "Pupil voice", "Conversation with parents", "Learning walk"}
READ = {"Pupil passports", "Provision map", "Reviews due", "Sync status"}
EXPECTED = {
    "viewer": set(),
    "admin": set(),
    "ta": {"Session record", "Pupil voice"},
    "teacher": CAPTURE,
    "senco": CAPTURE,
}
AGGREGATE_READS = {"Provision map", "Sync status"}


def tiles(page, heading):
    nav = page.get_by_role("navigation", name=heading)
    return set(nav.locator("a").all_inner_texts()) if nav.count() else set()


@pytest.mark.parametrize("role", EXPECTED)
def test_home_links_match_the_role(page, live_server, role):
    log_in(page, live_server, role)
    assert tiles(page, "Capture") == EXPECTED[role]
    reads = AGGREGATE_READS if role in ("viewer", "admin") else READ
    assert tiles(page, "Read (works offline)") == reads
    assert (
        "null" not in page.locator("main").inner_text()
    )  # no stray text where a section is left out


def test_viewer_sees_aggregates_only(page, live_server, axe_path):
    log_in(page, live_server, "viewer")
    expect(page.get_by_role("heading", name="Capture")).to_have_count(0)
    expect(page.get_by_role("heading", name="My pupils")).to_have_count(0)
    expect(page.get_by_role("heading", name="My groups")).to_have_count(0)
    for size, (width, height) in VIEWPORTS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.evaluate("document.getElementById('announce').textContent = ''")
        check_axe(page, axe_path, f"viewer-home-{size}")
        shoot(page, "viewer-home", size)
    # Typed addresses to screens the server would refuse land back home.
    for route in ["passport", "reviews", "voice", "session", "conversation", "walk", "pupil"]:
        page.evaluate(f"location.hash = '#/{route}'")
        expect(page.locator("h1")).to_contain_text("Hello")
    page.get_by_role("link", name="Provision map").click()
    expect(page.locator(".as-of")).to_be_visible()
