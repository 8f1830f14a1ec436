"""The service-worker update flow in a real browser. The live server is pointed (PWA_DIR) at a
temporary copy of pwa/, and a file in it is changed, so /sw.js carries a new VERSION, as after a
deployment. With an empty outbox the prompt appears and accepting it activates the new worker
and deletes the old caches; with unsynced work the new worker is never told to skip waiting."""

import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, queue_refused_voice
from tests.browser.test_screens import check_axe

pytestmark = pytest.mark.browser
PWA = Path(__file__).resolve().parents[2] / "pwa"

VERSION_JS = "import('/js/sw-bridge.js').then((m) => m.workerVersion())"
UPDATE_JS = "navigator.serviceWorker.getRegistration().then((r) => r.update()).then(() => true)"


@pytest.fixture
def pwa_copy(live_server, tmp_path):
    root = tmp_path / "pwa"
    shutil.copytree(PWA, root, ignore=shutil.ignore_patterns("vendor"))
    live_server.app.config["PWA_DIR"] = str(root)
    try:
        yield root
    finally:
        live_server.app.config.pop("PWA_DIR")


def served_version(page) -> str:
    return re.search(r"const VERSION = '([0-9a-f]{12})';", page.request.get("/sw.js").text()).group(
        1
    )


def deploy(root):
    """A new release: any change to an app file changes the hash in /sw.js."""
    css = root / "app.css"
    css.write_text(css.read_text() + "\n/* release 2 */\n")


def ready(page, live_server):
    log_in(page, live_server, "ta")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.wait_for_function(f"{VERSION_JS}.then((v) => v !== null)")
    return page.evaluate(VERSION_JS)


def test_update_prompt_activates_the_new_worker_and_drops_old_caches(
    page, live_server, pwa_copy, axe_path
):
    old = ready(page, live_server)
    assert old == served_version(page)
    assert f"static-{old}" in page.evaluate("caches.keys()")

    deploy(pwa_copy)
    new = served_version(page)
    assert new != old
    page.evaluate(UPDATE_JS)
    banner = page.locator("#update-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("An update is available.")
    page.evaluate("document.getElementById('announce').textContent = ''")
    check_axe(page, axe_path, "update-banner")
    # Nothing changes until the user agrees.
    assert page.evaluate(VERSION_JS) == old
    assert page.evaluate(
        "navigator.serviceWorker.getRegistration().then((r) => Boolean(r.waiting))"
    )

    with page.expect_navigation():  # the page reloads once the new worker controls it
        page.get_by_role("button", name="Update now").click()
    expect(page.locator("h1")).to_contain_text("Hello")
    page.wait_for_function(f"{VERSION_JS}.then((v) => v === '{new}')")
    page.wait_for_function(f"caches.keys().then((k) => !k.includes('static-{old}'))")
    caches = page.evaluate("caches.keys()")
    assert f"static-{new}" in caches and not any(old in name for name in caches), caches
    expect(page.locator("#update-banner")).to_be_hidden()
    # The Sync status screen names the running version, folded away for IT support.
    page.goto("/#/status")
    expect(page.locator("#app-version")).to_have_text("Yes, this device has the app saved")
    expect(page.locator("#app-version-id")).to_have_text(new)


def test_no_skip_waiting_while_work_is_unsynced(page, live_server, pwa_copy):
    old = ready(page, live_server)
    # Work the server refuses stays on the device (quarantined) until someone deals with it.
    queue_refused_voice(page)
    expect(page.locator("#attention")).to_be_visible()
    page.evaluate("window.sameDocument = true")

    deploy(pwa_copy)
    page.evaluate(UPDATE_JS)
    banner = page.locator("#update-banner")
    expect(banner).to_be_visible()
    page.get_by_role("button", name="Update now").click()
    expect(banner).to_contain_text("must reach the server before updating")

    page.wait_for_timeout(500)
    assert page.evaluate("window.sameDocument") is True  # no reload
    assert page.evaluate(VERSION_JS) == old
    assert page.evaluate(
        "navigator.serviceWorker.getRegistration().then((r) => r.waiting !== null)"
    )
    assert f"static-{old}" in page.evaluate("caches.keys()")
