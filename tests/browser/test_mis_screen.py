"""The SENCO's MIS sync screen: start a run from the app, read it in words, see where the app and
the MIS disagree after a SENCO's change, and download the export. A school of its own, so the
roster it reads cannot mark the shared world's pupils as leavers."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from server.extensions import db
from server.models import Pupil, School, Staff
from tests.browser.test_screens import VIEWPORTS, check_axe, shoot
from tests.mis_support import set_source
from tests.support import PASSWORD
from tests.test_roster_import import ctf, kid

pytestmark = pytest.mark.browser
DFE, SENCO = "8209901", "senco@mis-school.example.org"
SUPPORT = [("K", "2025-09-03")]


@pytest.fixture(scope="module")
def mis_school(live_server, tmp_path_factory):
    folder = tmp_path_factory.mktemp("mis-screen")
    roster = folder / "roster.xml"
    roster.write_bytes(
        ctf(kid(0, sen=SUPPORT, needs=[("SLCN", 1)]), kid(1), lea="820", estab="9901")
    )
    app = live_server.app
    app.config.update(MIS_EXPORT_DIR=str(folder / "exports"), MIS_APP_WAIT_SECONDS=20)
    with app.app_context():
        school = School(name="Mis Primary", dfe_number=DFE)
        db.session.add(school)
        db.session.flush()
        db.session.add(
            Staff(
                school_id=school.id,
                name="Mis Senco",
                email=SENCO,
                role="senco",
                is_dsl=True,
                password_hash=generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000"),
            )
        )
        db.session.commit()
        db.session.remove()
    set_source(app, DFE, "file", str(roster))
    return roster


def log_in_senco(page):
    page.goto("/")
    page.get_by_label("Email").fill(SENCO)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("h1")).to_contain_text("Hello")


def test_the_senco_runs_the_mis_sync_and_sees_where_the_app_and_the_mis_differ(
    page, live_server, mis_school, axe_path
):
    log_in_senco(page)
    page.get_by_role("link", name="MIS sync").click()
    expect(page.locator("h1")).to_have_text("MIS sync")
    expect(page.get_by_text("No runs yet.")).to_be_visible()
    page.get_by_role("button", name="Run the MIS sync now").click()
    run = page.locator("#mis-runs li").first
    expect(run).to_contain_text("Finished")
    expect(run).to_contain_text("Read 2 pupils from the MIS (2 new")
    expect(run).not_to_contain_text("T0")  # no ISO timestamps

    # The SENCO records an EHC plan in the app; the MIS still says SEN support tonight.
    with live_server.app.app_context():
        pupil_id = db.session.scalar(select(Pupil.id).where(Pupil.forename == "Kid0"))
        db.session.remove()
    changed = page.evaluate(
        """async (id) => {
        const api = await import('/js/api.js');
        return api.request('PATCH', `/api/v1/pupils/${id}`, { json: {
          sen_history: [{ code: 'K', start_date: '2025-09-03', end_date: '2026-01-05' },
                        { code: 'E', start_date: '2026-01-05' }],
          needs: [{ need_type: 'SLCN', rank: 1 }] } });
    }""",
        pupil_id,
    )
    assert changed["sen_provision"] == "E"
    page.get_by_role("button", name="Run the MIS sync now").click()
    expect(page.locator("#mis-runs li")).to_have_count(2)
    latest = page.locator("#mis-runs li").first
    table = latest.get_by_role("table")
    expect(table).to_contain_text("Kid0 Roster")
    expect(table).to_contain_text("SEN status")
    expect(table).to_contain_text("EHC plan")
    expect(table).to_contain_text("SEN support")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the latest SEN export").click()
    assert download.value.suggested_filename.startswith(f"sen-export-{DFE}-")
    for size, (width, height) in VIEWPORTS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.evaluate("document.getElementById('announce').textContent = ''")
        check_axe(page, axe_path, "mis")
        shoot(page, "mis", size)
