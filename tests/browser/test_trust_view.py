"""A trust's or local authority's officer (the la_viewer, issue 16) in the app, at a tablet and a
phone size: straight after signing in they read "Provision across your schools", per school and
in total, choose another day, download the same figures as CSV and read the last copy offline;
nothing of a school's own (capture, pupils, the outbox, sync) is offered or tried. An officer
with no school shared yet is told so in words. Every screen passes axe-core and is photographed.
"""

import csv
import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from server.extensions import db
from server.models import Staff, TrustGrant
from tests.browser.test_screens import VIEWPORTS, check_axe, shoot
from tests.support import PASSWORD

pytestmark = pytest.mark.browser

OFFICER = "officer@trust.example.org"
NO_GRANT = "newcomer@trust.example.org"
SCHOOLS = ("Home Primary", "Other Academy")


def _officer(live, email: str, schools: tuple[str, ...]) -> str:
    """An la_viewer granted these schools, as `flask trust grant` makes one (once per run)."""
    world = live.world
    with live.app.app_context():
        try:
            if db.session.scalar(select(Staff.id).where(Staff.email == email)) is None:
                home = world["home"]
                viewer = Staff(
                    school_id=home["school"],
                    name="Trust Officer",
                    email=email,
                    role="la_viewer",
                    password_hash=db.session.get(Staff, home["staff"]["admin"]["id"]).password_hash,
                )
                db.session.add(viewer)
                db.session.flush()
                db.session.add_all(
                    TrustGrant(staff_id=viewer.id, school_id=world[key]["school"])
                    for key in schools
                )
                db.session.commit()
        finally:
            db.session.remove()
    return email


def sign_in(page, email):
    page.goto("/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Provision across your schools")).to_be_visible()
    page.wait_for_function("navigator.serviceWorker.ready.then(() => true)")


def look(page, axe_path, name, size):
    # No developer words: no "null", no ISO dates, no raw area or measure codes.
    text = page.inner_text("main")
    assert not re.search(r"\bnull\b|\bundefined\b|NaN|\d{4}-\d{2}-\d{2}|\bCI\b|_", text), text
    page.evaluate("document.getElementById('announce').textContent = ''")
    check_axe(page, axe_path, name)
    shoot(page, name, size)


def friendly(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


@pytest.mark.parametrize("size", VIEWPORTS)
def test_officer_reads_schools_and_total(page, live_server, axe_path, size):
    width, height = VIEWPORTS[size]
    page.set_viewport_size({"width": width, "height": height})
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    sign_in(page, _officer(live_server, OFFICER, ("home", "other")))
    expect(page).to_have_url(re.compile(r"#/trust$"))

    schools = page.locator("#trust-schools")
    for name in SCHOOLS:
        expect(schools.locator("tbody")).to_contain_text(name)
        expect(page.locator("#rollup tbody")).to_contain_text(name)
    expect(schools.locator("tfoot")).to_contain_text("Both schools")
    expect(page.locator("#trust-summary")).to_contain_text("Across 2 schools")
    register = page.locator("#trust-register")
    expect(register.locator("tfoot th")).to_have_text("Both schools")
    expect(register.locator("tfoot td").nth(1)).to_have_text(
        re.compile(r"^\d+ \(\d+(\.\d)?% of pupils on roll\)$")
    )
    expect(page.locator("#trust-areas")).to_contain_text("Communication and interaction")
    # Nothing of a school's own: no capture, no outbox badge, no sync button, no pull or push.
    expect(page.locator("#sync-now")).to_be_hidden()
    expect(page.locator("#unsynced")).to_be_hidden()
    expect(page.locator("#who")).to_have_text("Trust Officer")
    assert not [u for u in asked if "/api/v1/sync/" in u], asked
    look(page, axe_path, "trust", size)

    # Another day: the address keeps it, the words say it, the CSV is of that day.
    day = date.today() - timedelta(days=7)
    page.get_by_label("Show the figures up to another day").fill(day.isoformat())
    page.get_by_role("button", name="Show these figures").click()
    expect(page).to_have_url(re.compile(rf"#/trust/{day.isoformat()}$"))
    expect(page.locator("#as-of-words")).to_have_text(f"Figures up to {friendly(day)}")
    with page.expect_download() as download:
        page.locator("#trust-csv").click()
    assert download.value.suggested_filename == f"provision-across-schools-{day.isoformat()}.csv"
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert rows[0][:3] == ["School", "DfE number", "Pupils in provision"]
    assert [r[0] for r in rows[1:]] == [*SCHOOLS, "Both schools"]
    shown = page.locator("#trust-schools tfoot td").nth(2).inner_text()
    assert shown.startswith(f"{rows[-1][6]} of {rows[-1][5]}"), (shown, rows[-1])

    # Offline: a day never fetched needs a connection; a fetched one shows its saved copy.
    page.context.set_offline(True)
    page.goto(f"/#/trust/{(day - timedelta(days=1)).isoformat()}")
    expect(page.locator("#trust-problem")).to_contain_text("need a connection")
    look(page, axe_path, "trust-offline", size)
    page.goto(f"/#/trust/{day.isoformat()}")
    expect(page.locator(".as-of")).to_contain_text("Saved copy from")
    expect(page.locator("#trust-schools tfoot")).to_contain_text("Both schools")
    page.context.set_offline(False)
    page.get_by_role("button", name="Try to fetch the latest figures").click()
    expect(page.locator(".as-of")).to_contain_text("Fetched")

    # A typed address to a school screen comes back here.
    page.goto("/#/session")
    expect(page).to_have_url(re.compile(r"#/trust$"))
    expect(page.locator("#as-of-words")).to_have_text(re.compile("^Figures up to"))


def test_officer_with_no_school_is_told_why(page, live_server, axe_path):
    sign_in(page, _officer(live_server, NO_GRANT, ()))
    expect(page.locator("#no-schools")).to_contain_text("No schools have been shared with you yet.")
    expect(page.locator("#trust-schools")).to_have_count(0)
    for size, (width, height) in VIEWPORTS.items():
        page.set_viewport_size({"width": width, "height": height})
        look(page, axe_path, "trust-no-schools", size)
