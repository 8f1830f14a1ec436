"""Browser tests: a REAL server (waitress on a free port, a freshly migrated SQLite database)
driven by the system Chromium through Playwright's sync API.

Never runs `playwright install`: Debian's /usr/bin/chromium is used. axe-core is installed from
npm into tests/browser/.cache at test time (gitignored) and injected into the page.
"""

import io
import json
import os
import shutil
import subprocess
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from server import create_app
from server.extensions import db
from server.models import Enrolment, Group, Pupil
from tests.support import PASSWORD, build_world, make_upn, skip_unless_ci

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
CACHE = Path(__file__).resolve().parent / ".cache"
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"


class LiveServer:
    """The app under waitress in a thread, plus an app context for reading its database."""

    def __init__(self, app, world):
        import waitress

        self.app, self.world = app, world
        self.server = waitress.create_server(app, host="127.0.0.1", port=0, threads=8)
        self.url = f"http://127.0.0.1:{self.server.effective_port}"
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def stop(self):
        # Close from inside the server's own loop: closing from here races its select() (EBADF).
        self.server.trigger.pull_trigger(self.server.close)
        self.thread.join(timeout=5)

    def scalar(self, query):
        with self.app.app_context():
            try:
                return db.session.scalar(query)
            finally:
                db.session.remove()

    def count(self, model, *where):
        return self.scalar(select(func.count()).select_from(model).where(*where))


def group_start() -> date:
    """The Monday three weeks ago: the TA's group is running whenever the tests run."""
    today = date.today()
    return today - timedelta(days=today.weekday(), weeks=3)


def _more_pupils(world) -> None:
    """Six pupils in the TA's group, so the session-record screen looks like a real group, and
    the group running today: the app records a session on today's date, and the server refuses
    one outside the group's run or before its pupils joined."""
    home = world["home"]
    group_id, school_id = home["group"], home["school"]
    start = group_start()
    db.session.get(Group, group_id).start_date = start
    for enrolment in db.session.scalars(select(Enrolment).where(Enrolment.group_id == group_id)):
        enrolment.joined_on = start
    for n in range(6, 10):
        pupil = Pupil(
            school_id=school_id,
            upn=make_upn("820", "2001", n),
            forename=f"Pupil{n}",
            surname="Homeson",
            dob=date(2016, 3, n),
            gender="F",
            year_group="4",
            class_id=home["classes"]["mine"],
        )
        db.session.add(pupil)
        db.session.flush()
        db.session.add(
            Enrolment(school_id=school_id, group_id=group_id, pupil_id=pupil.id, joined_on=start)
        )
    db.session.commit()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    from tests.conftest import _migrate

    instance = tmp_path_factory.mktemp("live-instance")
    url = f"sqlite:///{instance / 'live.sqlite'}"
    previous = os.environ.get("INSTANCE_PATH")
    _migrate(url, str(instance))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "browser-tests",
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "ATTACHMENTS_DIR": str(instance / "attachments"),
            "PIN_KDF_ITERATIONS": 1000,  # the real 600,000 cost a second per PIN on a busy CI
        }
    )
    if previous is None:
        os.environ.pop("INSTANCE_PATH", None)
    else:
        os.environ["INSTANCE_PATH"] = previous
    with app.app_context():
        world = build_world()
        _more_pupils(world)
    live = LiveServer(app, world)
    live.thread.start()
    yield live
    live.stop()
    with app.app_context():
        db.engine.dispose()


# Package scope: a running sync Playwright owns an event loop, so it must be closed before any
# other module's tests start their own (tests/test_passport.py prints with Playwright too).
@pytest.fixture(scope="package")
def browser():
    if not os.path.exists(CHROMIUM):
        skip_unless_ci(f"No Chromium at {CHROMIUM}; set CHROMIUM to its path.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser, live_server):
    """A fresh profile per test: its own IndexedDB, caches and service worker."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 768, "height": 1024}, bypass_csp=True
    )
    context.set_default_timeout(15000)
    # Assertions wait for a state as long as actions do: a CI machine under load can take more
    # than expect()'s default 5 s to answer a save, and a slow pass is not a failure.
    expect.set_options(timeout=15000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    yield page
    assert not errors, f"JavaScript errors in the page: {errors}"


@pytest.fixture(scope="session")
def axe_path():
    """axe-core from npm, installed once into a gitignored cache; never committed."""
    target = CACHE / "node_modules" / "axe-core" / "axe.min.js"
    if not target.exists():
        npm = shutil.which("npm")
        if npm is None:
            skip_unless_ci(
                "npm is not available, so axe-core cannot be installed for the a11y checks."
            )
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                npm,
                "install",
                "--no-save",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(CACHE),
                "axe-core@4",
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return str(target)


@pytest.fixture(scope="session")
def openmoji():
    """The OpenMoji symbols, installed by the set-up step (server/symbols.py) if not yet there."""
    from server import symbols

    if not symbols.installed(symbols.DEFAULT_DEST):
        if shutil.which("npm") is None:
            skip_unless_ci("npm is not available, so the OpenMoji symbols cannot be installed.")
        assert symbols.main(["install"]) == 0, "npm could not fetch the openmoji package"
    return json.loads((symbols.DEFAULT_DEST / "index.json").read_text())


def start_pupil_mode(page, pin, openmoji=False):
    """From a logged-in page: choose the first pupil, set the PIN, optionally switch OpenMoji on
    for this device, and hand over; returns once the first question shows."""
    from playwright.sync_api import expect

    page.goto("/#/voice")
    page.get_by_label("Pupil", exact=True).select_option(index=1)
    if openmoji:
        page.get_by_label("Use OpenMoji pictures in pupil mode on this device").check()
        expect(page.locator("#symbols-status")).to_contain_text("On:")
    page.get_by_label("Staff PIN for this device").fill(pin)
    page.get_by_role("button", name="Hand to pupil").click()
    expect(page.locator("body")).to_have_attribute("data-pupil-mode", "true")
    # The lock is set before the pupil screen is drawn: wait for the screen itself, or a test's
    # first look at the heading can still see the staff form.
    expect(page.locator(".pupil-progress")).to_be_visible()


def log_in(page, live, role="ta", school="home"):
    """Open the app, log in online, and wait for the first pull to land on the home screen."""
    from playwright.sync_api import expect

    page.goto("/")
    page.get_by_label("Email").fill(live.world[school]["staff"][role]["email"])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("h1")).to_contain_text("Hello")
    page.wait_for_function("navigator.serviceWorker.ready.then(() => true)")


def jpeg_bytes(width=2000, height=1500) -> bytes:
    """A generated photo, larger than 1600 px so the on-device downscale is exercised."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), (40, 120, 200))
    ImageDraw.Draw(image).rectangle([200, 200, 900, 700], fill=(250, 200, 40))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def queue_refused_voice(page, feel_school: int = 3) -> None:
    """Put a pupil-voice op in the outbox that the server will refuse (the pupil is not in the
    user's scope), straight through the app's own modules."""
    page.evaluate(
        """async (feel) => {
        const outbox = await import('/js/outbox.js');
        const { entryOp } = await import('/js/entries.js');
        await outbox.save(entryOp('pupil_voice', { template_id: 'pv-ks2', version: 1 },
          { pupil_id: 999999, date: '2026-11-02', mode: 'independent', context: 'termly_review' },
          { feel_school: feel }), { kind: 'pupil_voice', summary: 'Pupil voice: a pupil not in scope' });
    }""",
        feel_school,
    )
