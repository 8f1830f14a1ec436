"""The drawing answer (FORMS.md §3 extras): a pupil draws with pointer strokes in pupil mode, with
named colours, undo and clear, and the drawing reaches the server as a PNG attachment of the
pupil-voice entry, through the same outbox path as photos."""

import io
import os

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from server.models import Attachment, Entry
from tests.browser.conftest import log_in, start_pupil_mode
from tests.browser.test_screens import VIEWPORTS, check_axe, shoot

pytestmark = pytest.mark.browser
PIN = "97531"


def to_drawing(page):
    page.get_by_role("button", name="Happy", exact=True).click()  # the first question is required
    while not page.locator("canvas.drawing-canvas").count():
        page.locator(".pupil-nav .button:not(.secondary)").click()
    expect(page.locator("h1")).to_have_text("Would you like to draw a picture about school?")


def stroke(page, points):
    box = page.locator("canvas.drawing-canvas").bounding_box()
    at = [(box["x"] + x * box["width"], box["y"] + y * box["height"]) for x, y in points]
    page.mouse.move(*at[0])
    page.mouse.down()
    for point in at[1:]:
        page.mouse.move(*point, steps=8)
    page.mouse.up()


def test_pupil_draws_and_the_server_keeps_a_png(page, live_server, axe_path):
    log_in(page, live_server, "ta")
    start_pupil_mode(page, PIN)
    to_drawing(page)
    status = page.locator(".drawing-status")
    expect(status).to_have_text("Nothing drawn yet.")
    expect(page.get_by_role("button", name="Finish")).to_be_enabled()  # drawing is optional

    # Every colour says its name; the chosen one is marked pressed, not by colour alone.
    for word in ["Black", "Blue", "Red", "Green", "Yellow", "Brown"]:
        expect(page.get_by_role("button", name=word, exact=True)).to_be_visible()
    stroke(page, [(0.1, 0.1), (0.5, 0.4), (0.9, 0.1)])
    page.get_by_role("button", name="Red", exact=True).click()
    expect(page.get_by_role("button", name="Red", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.get_by_role("button", name="Black", exact=True)).to_have_attribute(
        "aria-pressed", "false"
    )
    stroke(page, [(0.1, 0.8), (0.9, 0.8)])
    stroke(page, [(0.5, 0.6)])  # a tap is a dot: drawing never needs a drag
    expect(status).to_have_text("Your drawing has 3 lines or dots.")

    page.get_by_role("button", name="Undo").click()
    expect(status).to_have_text("Your drawing has 2 lines or dots.")
    page.get_by_role("button", name="Clear").click()
    expect(status).to_have_text("Nothing drawn yet.")
    page.get_by_role("button", name="Undo").click()  # undo brings a cleared drawing back
    expect(status).to_have_text("Your drawing has 2 lines or dots.")

    # A reload keeps the pupil in pupil mode with the drawing as it was (once it is stored).
    expect(page.locator(".drawing")).to_have_attribute("data-saved", "true")
    page.reload()
    expect(page.locator(".drawing-status")).to_have_text("Your drawing has 2 lines or dots.")

    for size, (width, height) in VIEWPORTS.items():
        page.set_viewport_size({"width": width, "height": height})
        for name in ["Black", "Yellow", "Undo", "Clear", "Finish", "Previous question"]:
            box = page.get_by_role("button", name=name, exact=True).bounding_box()
            assert box["width"] >= 88 and box["height"] >= 88, (size, name, box)
        canvas = page.locator("canvas.drawing-canvas").bounding_box()
        assert canvas["width"] >= 300 and abs(canvas["width"] / canvas["height"] - 4 / 3) < 0.02
        check_axe(page, axe_path, f"drawing-{size}")
        shoot(page, "pupil-drawing", size)
    page.set_viewport_size({"width": 768, "height": 1024})

    page.get_by_role("button", name="Finish").click()
    expect(page.locator("h1")).to_have_text("Thank you")
    # The header is hidden in pupil mode, but still counts: wait for the photo path to finish.
    expect(page.locator("#unsynced")).to_have_text("All synced", timeout=20000)

    pupil_id = page.evaluate("""async () => {
        const db = await import('/js/db.js');
        const ops = await db.getOps();
        return ops.find((r) => r.op.entry.kind === 'pupil_voice').op.entry.core.pupil_id;
    }""")
    entry = live_server.scalar(
        select(Entry)
        .where(Entry.kind == "pupil_voice", Entry.is_head)
        .order_by(Entry.id.desc())
        .limit(1)
    )
    assert entry.core["pupil_id"] == pupil_id
    assert entry.answers["feel_school"] == 4
    [sha] = entry.core["attachments"]
    stored = live_server.scalar(select(Attachment).where(Attachment.sha256 == sha))
    assert stored is not None and stored.content_type == "image/png"

    from PIL import Image

    path = os.path.join(live_server.app.config["ATTACHMENTS_DIR"], stored.path)
    with open(path, "rb") as fh:
        image = Image.open(io.BytesIO(fh.read()))
        image.load()
    assert image.format == "PNG" and image.size == (1200, 900)
    rgba = image.convert("RGBA")
    red = rgba.getpixel((600, 720))  # on the red line at 80% height
    assert red[3] == 255 and red[0] > 150 and red[1] < 80 and red[2] < 80, red
    black = rgba.getpixel((120, 90))  # the start of the black stroke
    assert black[3] == 255 and max(black[:3]) < 60, black
    assert rgba.getpixel((600, 880))[3] == 0  # untouched paper stays transparent


def test_staff_can_add_a_drawing_on_the_pupil_voice_screen(page, live_server, axe_path):
    log_in(page, live_server, "ta")
    before = live_server.count(Attachment)
    page.goto("/#/voice")
    page.get_by_label("Pupil", exact=True).select_option(index=1)
    page.get_by_text("Happy", exact=True).first.click()
    page.get_by_role("button", name="Add a drawing by the pupil").click()
    stroke(page, [(0.2, 0.2), (0.8, 0.7)])
    expect(page.locator(".drawing-status")).to_have_text("Your drawing has 1 line or dot.")
    for name in ["Blue", "Undo", "Clear"]:
        box = page.get_by_role("button", name=name, exact=True).bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, (name, box)
    page.evaluate("document.getElementById('announce').textContent = ''")
    check_axe(page, axe_path, "voice-drawing")
    page.get_by_role("button", name="Save pupil voice").click()
    expect(page.locator("h1")).to_contain_text("Hello")
    expect(page.locator("#unsynced")).to_have_text("All synced", timeout=20000)
    assert live_server.count(Attachment) == before + 1
