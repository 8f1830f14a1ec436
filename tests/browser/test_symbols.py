"""Optional OpenMoji symbols in pupil mode (FORMS.md §6): off by default, switched on per device
in the pupil-mode set-up, each picture beside its word (the word is the accessible name), kept
by the service worker for offline use, credited on a page outside pupil mode; and the app falls
back to its own faces when the symbols are absent."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, start_pupil_mode
from tests.browser.test_screens import VIEWPORTS, check_axe, shoot

pytestmark = pytest.mark.browser
PIN = "13579"
ATTRIBUTION = (
    "Emoji artwork by OpenMoji – the open-source emoji and icon project. License: CC BY-SA 4.0"
)
FACES5 = ["Very sad", "Sad", "OK", "Happy", "Very happy"]


def loaded_symbols(page):
    """hex of every OpenMoji <img> in the pupil choices that has actually decoded."""
    return page.evaluate("""() => [...document.querySelectorAll('.pupil-choice img.symbol')]
        .filter((img) => img.complete && img.naturalWidth > 0).map((img) => img.dataset.symbol)""")


def test_openmoji_in_pupil_mode_with_words_offline_and_credited(
    page, context, live_server, axe_path, openmoji
):
    hexes = {s["key"]: s["hex"] for s in openmoji["symbols"]}
    log_in(page, live_server, "ta")
    # Off by default: the app's own faces.
    start_pupil_mode(page, PIN)
    expect(page.locator(".pupil-choice svg.face")).to_have_count(5)
    expect(page.locator(".pupil-choice img")).to_have_count(0)
    page.get_by_role("button", name="Staff").click()
    page.get_by_label("Staff PIN to leave pupil mode").fill(PIN)
    page.get_by_role("button", name="Unlock").click()

    # The set-up screen links to the credits; switch OpenMoji on for this device.
    page.get_by_label("Pupil", exact=True).select_option(index=1)
    expect(page.get_by_role("link", name="Picture credits and licences")).to_be_visible()
    start_pupil_mode(page, "", openmoji=True)
    expect(page.locator(".pupil-choice img.symbol")).to_have_count(5)
    page.wait_for_function(
        "[...document.querySelectorAll('.pupil-choice img')].every((i) => i.complete)"
    )
    assert loaded_symbols(page) == [
        hexes[k] for k in ["face-very-sad", "face-sad", "face-ok", "face-happy", "face-very-happy"]
    ]
    for word in FACES5:
        button = page.get_by_role("button", name=word, exact=True)
        expect(button).to_be_visible()
        expect(button.locator(".word")).to_have_text(word)  # the word is shown beside the picture
        expect(button.locator("img")).to_have_attribute("alt", "")
    for size, (width, height) in VIEWPORTS.items():
        page.set_viewport_size({"width": width, "height": height})
        for word in FACES5:
            box = page.get_by_role("button", name=word, exact=True).bounding_box()
            assert box["width"] >= 88 and box["height"] >= 88, (size, word, box)
        check_axe(page, axe_path, f"pupil-openmoji-{size}")
        shoot(page, "pupil-openmoji", size)
    page.set_viewport_size({"width": 768, "height": 1024})

    # Choice questions show their template symbol too, with the option's words as the name.
    page.get_by_role("button", name="Happy", exact=True).click()
    while not page.locator(".pupil-choice[data-value='safe']").count():
        page.locator(".pupil-nav .button:not(.secondary)").click()
    safe = page.get_by_role("button", name="Yes, I feel safe", exact=True)
    expect(safe.locator("img.symbol")).to_have_attribute("data-symbol", hexes["face-happy"])

    # Offline, after a reload, the pictures still come (from the service worker's cache).
    context.set_offline(True)
    page.reload()
    expect(page.locator(".pupil-choice img.symbol")).to_have_count(2)
    page.wait_for_function(
        "[...document.querySelectorAll('.pupil-choice img')].every((i) => i.complete)"
    )
    assert sorted(loaded_symbols(page)) == sorted([hexes["face-happy"], hexes["face-sad"]])
    context.set_offline(False)

    # The credits are not reachable from inside pupil mode.
    page.evaluate("location.hash = '#/credits'")
    page.wait_for_timeout(200)
    assert page.evaluate("location.hash") == "#/pupil"
    page.get_by_role("button", name="Staff").click()
    page.get_by_label("Staff PIN to leave pupil mode").fill(PIN)
    page.get_by_role("button", name="Unlock").click()
    # Answers were given: staff choose what to do with them (tests/browser/test_pupil_mode_edges.py).
    page.get_by_role("button", name="Discard").click()
    page.get_by_role("button", name="Yes, discard the answers").click()
    expect(page.locator("h1")).to_have_text("Pupil voice")

    page.get_by_label("Pupil", exact=True).select_option(index=1)
    page.get_by_role("link", name="Picture credits and licences").click()
    expect(page.locator("h1")).to_have_text("Picture credits and licences")
    expect(page.locator("#openmoji-attribution")).to_contain_text(ATTRIBUTION)
    expect(page.get_by_role("link", name="OpenMoji", exact=True)).to_have_attribute(
        "href", "https://openmoji.org/"
    )
    expect(page.get_by_role("link", name="CC BY-SA 4.0")).to_have_attribute(
        "href", "https://creativecommons.org/licenses/by-sa/4.0/"
    )
    rows = page.locator("#openmoji-symbols tbody tr")
    expect(rows).to_have_count(len(openmoji["symbols"]))
    for symbol in openmoji["symbols"]:
        expect(page.locator("#openmoji-symbols")).to_contain_text(symbol["hex"])
    licence = page.request.get("/symbols/openmoji/LICENSE.txt")
    assert licence.ok and "Attribution-ShareAlike 4.0" in licence.text()
    for size, (width, height) in VIEWPORTS.items():
        page.set_viewport_size({"width": width, "height": height})
        check_axe(page, axe_path, f"credits-{size}")
        shoot(page, "credits", size)


def test_without_symbols_the_app_uses_its_own_faces(page, live_server, axe_path, tmp_path):
    """A fresh clone before set-up: no /symbols/ on the server. And a device whose chosen
    pictures have gone shows its own faces instead of broken images."""
    live_server.app.config["OPENMOJI_DIR"] = str(tmp_path / "none")
    try:
        log_in(page, live_server, "ta")
        page.goto("/#/voice")
        page.get_by_label("Pupil", exact=True).select_option(index=1)
        expect(page.get_by_role("link", name="Picture credits and licences")).to_be_visible()
        page.wait_for_timeout(300)  # the set-up asks the server whether it has symbols
        expect(
            page.get_by_label("Use OpenMoji pictures in pupil mode on this device")
        ).to_be_hidden()
        page.goto("/#/credits")
        expect(page.locator("#openmoji-missing")).to_be_visible()
        expect(page.locator("#openmoji-attribution")).to_contain_text(ATTRIBUTION)

        # Switched on earlier, but the files are gone and were never cached.
        page.evaluate("""async () => {
            const db = await import('/js/db.js');
            await db.setMeta('pupil_symbols', { enabled: true, index: { version: 'x', symbols: [
              { key: 'face-happy', hex: 'FFFF0', meaning: 'Happy', name: 'gone' }] } });
        }""")
        start_pupil_mode(page, PIN)
        expect(page.locator(".pupil-choice svg.face")).to_have_count(5)
        expect(page.locator(".pupil-choice img")).to_have_count(0)
        expect(page.get_by_role("button", name="Happy", exact=True)).to_be_visible()
    finally:
        live_server.app.config.pop("OPENMOJI_DIR")
