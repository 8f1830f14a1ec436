"""Every screen passes axe-core with no serious or critical violations, and is photographed at a
tablet (768×1024) and a phone (390×844) size into test-artifacts/ for a human to look at."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, log_in, queue_refused_voice

pytestmark = pytest.mark.browser
VIEWPORTS = {"tablet": (768, 1024), "phone": (390, 844)}


def open_session(page):
    page.goto("/#/session")
    page.get_by_role("radio", name="Talk Boost Y4").check()
    expect(page.locator(".pupil-row").first).to_be_visible()


def open_voice(page):
    page.goto("/#/voice")
    page.get_by_label("Pupil", exact=True).select_option(index=1)
    expect(page.locator("#questions h2")).to_be_visible()


def open_conversation(page):
    page.goto("/#/conversation")
    expect(page.get_by_role("heading", name="Explore")).to_be_visible()


def open_walk(page):
    page.goto("/#/walk")
    page.get_by_role("button", name="Add a stop").click()
    expect(page.locator(".stop")).to_have_count(1)


def open_quarantine(page):
    queue_refused_voice(page, feel_school=9)
    page.get_by_role("button", name="Sync now").click()
    expect(page.locator("#attention")).to_be_visible()
    page.goto("/#/quarantine")
    expect(page.locator("#quarantine-list > li")).to_have_count(1)


def open_record(page):
    page.goto("/#/home")
    page.locator("#recent a").first.click()
    expect(page.locator("#record-rows")).to_be_visible()


def open_status(page):
    page.goto("/#/status")
    expect(page.locator("#sync-facts")).to_be_visible()


SCREENS = [
    ("home", lambda page: page.goto("/#/home")),
    ("session", open_session),
    ("voice", open_voice),
    ("conversation", open_conversation),
    ("walk", open_walk),
    ("quarantine", open_quarantine),
    ("record", open_record),
    ("status", open_status),
]


def check_axe(page, axe_path, screen):
    page.add_script_tag(path=axe_path)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"{screen}: {bad}"


def shoot(page, screen, size):
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_function("document.body.dataset.ready === 'true'")
    page.screenshot(path=str(ARTIFACTS / f"pwa-{screen}-{size}.png"), full_page=True)


@pytest.mark.parametrize("size", VIEWPORTS)
def test_screens_pass_axe_and_are_photographed(page, live_server, axe_path, size):
    width, height = VIEWPORTS[size]
    page.set_viewport_size({"width": width, "height": height})
    page.goto("/")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    check_axe(page, axe_path, "login")
    shoot(page, "login", size)
    log_in(page, live_server, "senco")
    for screen, open_screen in SCREENS:
        open_screen(page)
        # Let the announcement bar clear so the screenshot shows the screen itself.
        page.evaluate("document.getElementById('announce').textContent = ''")
        check_axe(page, axe_path, screen)
        shoot(page, screen, size)


def test_keyboard_focus_is_never_hidden_under_the_announcement_bar(page, live_server):
    # WCAG 2.4.11: the sticky announcement stays up for ten seconds at the foot of the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    log_in(page, live_server, "senco")
    open_quarantine(page)
    page.evaluate("window.scrollTo(0, 0)")
    page.evaluate("""() => { const bar = document.getElementById('announce');
        bar.className = 'announce info'; bar.textContent = '1 item(s) still waiting to sync.'; }""")
    button = page.get_by_role("button", name="Export my unsynced work")
    for _ in range(40):
        page.keyboard.press("Tab")
        if button.evaluate("b => b === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the export button")
    bar, target = page.locator("#announce").bounding_box(), button.bounding_box()
    assert target["y"] + target["height"] <= bar["y"], (target, bar)
