"""A second step at login in the app (issue 15, point 4): a SENCO sets up a TOTP code from the
security screen, and the next login asks for the code; screens pass axe and are photographed."""

from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from playwright.sync_api import expect
from sqlalchemy import delete

from server.extensions import db
from server.models import SecondFactor
from tests.browser.conftest import log_in
from tests.browser.test_screens import VIEWPORTS, check_axe, shoot
from tests.support import PASSWORD

pytestmark = pytest.mark.browser


def test_a_senco_sets_up_a_code_and_the_next_login_asks_for_it(page, live_server, axe_path):
    senco = live_server.world["other"]["staff"]["senco"]["email"]
    try:
        log_in(page, live_server, "senco", school="other")
        page.get_by_role("link", name="Second step at login").click()
        expect(page.locator("h1")).to_have_text("Second step at login")
        page.get_by_role("button", name="Set up a second step").click()
        secret = page.locator("#setup-secret").inner_text().replace(" ", "")
        for size, (width, height) in VIEWPORTS.items():
            page.set_viewport_size({"width": width, "height": height})
            page.evaluate("document.getElementById('announce').textContent = ''")
            check_axe(page, axe_path, f"second-factor-{size}")
            shoot(page, "second-factor", size)
        page.set_viewport_size({"width": 768, "height": 1024})
        page.get_by_label("Code from the app").fill(pyotp.TOTP(secret).now())
        page.get_by_role("button", name="Confirm").click()
        expect(page.locator("h1")).to_contain_text("Hello")

        page.get_by_role("button", name="Log out").click()
        expect(page.get_by_role("heading", name="Log in")).to_be_visible()
        page.get_by_label("Email").fill(senco)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        code = page.get_by_label("Code from your authenticator app")
        expect(code).to_be_visible()
        check_axe(page, axe_path, "login-code")
        shoot(page, "login-code", "tablet")
        code.fill(pyotp.TOTP(secret).at(datetime.now(UTC) + timedelta(seconds=30)))
        page.get_by_role("button", name="Log in").click()
        expect(page.locator("h1")).to_contain_text("Hello")
    finally:
        with live_server.app.app_context():
            db.session.execute(delete(SecondFactor))
            db.session.commit()
