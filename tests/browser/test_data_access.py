"""The SENCO's "Who saw pupils' data" screen (issue 15, point 5): reads and exports of a pupil's
data in words, filterable, and the designated safeguarding leads with who named them; axe-clean
and photographed at tablet and phone sizes."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.browser.test_screens import VIEWPORTS, check_axe, shoot

pytestmark = pytest.mark.browser


def test_the_senco_sees_who_read_and_exported_a_pupils_data(page, live_server, axe_path):
    home = live_server.world["home"]
    pupil = home["pupils"][0]
    log_in(page, live_server, "senco")
    page.evaluate(
        """async (id) => { await fetch(`/api/v1/pupils/${id}/passport/print`);
                          await fetch(`/api/v1/pupils/${id}/export`); }""",
        pupil,
    )
    page.goto("/#/home")
    page.get_by_role("link", name="Who saw pupils’ data").click()
    expect(page.locator("h1")).to_have_text("Who saw pupils’ data")
    expect(page.locator("#access-list")).to_contain_text("printed Pupil1 Homeson’s passport")
    expect(page.locator("#access-list")).to_contain_text(
        "exported everything held about Pupil1 Homeson"
    )
    expect(page.get_by_role("heading", name="Designated safeguarding leads")).to_be_visible()
    # Filter to exports only.
    page.get_by_label("What was done").select_option("export")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.locator("#access-list li")).to_have_count(1)
    for size, (width, height) in VIEWPORTS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.evaluate("document.getElementById('announce').textContent = ''")
        check_axe(page, axe_path, f"data-access-{size}")
        shoot(page, "data-access", size)


def test_a_ta_cannot_open_it(page, live_server):
    log_in(page, live_server, "ta")
    expect(page.get_by_role("link", name="Who saw pupils’ data")).to_have_count(0)
    page.goto("/#/data-access")
    expect(page.locator("h1")).to_contain_text("Hello")
