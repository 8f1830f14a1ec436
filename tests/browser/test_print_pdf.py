"""The print views in real Chromium, under their own CSP (no bypass): the stylesheet applies, no
policy is broken, and the PDF has the pages a reader expects. PDFs and PNGs of each printed
page go to test-artifacts/ for a person to look at."""

import io
import uuid

import pytest
from pypdf import PdfReader

from tests.browser.conftest import ARTIFACTS
from tests.entry_builders import conversation_op, walk_op
from tests.support import PASSWORD

pytestmark = pytest.mark.browser
A4_PX = {"width": 794, "height": 1123}  # 210 x 297 mm at 96 px per inch


@pytest.fixture
def strict(browser, live_server):
    """A context that keeps the page's CSP: what a user's browser does."""
    context = browser.new_context(base_url=live_server.url, viewport=A4_PX)
    context.set_default_timeout(15000)
    yield context
    context.close()


def login(context, live, role: str) -> str:
    """Log the context in through the API; gives the CSRF token for writes."""
    token = context.request.get("/api/v1/auth/csrf").json()["csrf_token"]
    email = live.world["home"]["staff"][role]["email"]
    response = context.request.post(
        "/api/v1/auth/login",
        data={"email": email, "password": PASSWORD},
        headers={"X-CSRF-Token": token},
    )
    assert response.ok, response.text()
    return response.json()["csrf_token"]


def push_one(context, token: str, op: dict) -> str:
    body = {"device_id": f"print-{uuid.uuid4().hex[:12]}", "ops": [op]}
    response = context.request.post("/api/v1/sync/push", data=body, headers={"X-CSRF-Token": token})
    (result,) = response.json()["results"]
    assert result["status"] == "accepted", result
    return result["entry_id"]


def print_to_pdf(context, entry_id: str, name: str) -> PdfReader:
    page = context.new_page()
    problems = []
    page.on("console", lambda m: m.type in ("error", "warning") and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))
    response = page.goto(f"/api/v1/entries/{entry_id}/print")
    assert response.status == 200
    # The inline stylesheet applied under the page's own CSP: the heading has its colour.
    assert page.eval_on_selector("h1", "h => getComputedStyle(h).color") == "rgb(29, 78, 137)"
    page.emulate_media(media="print")
    assert page.locator(".screen-only").is_hidden()
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
    (ARTIFACTS / f"{name}.pdf").write_bytes(pdf)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    assert not problems, problems
    page.close()
    return PdfReader(io.BytesIO(pdf))


def text_of(reader: PdfReader) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in reader.pages)


def test_a_full_conversation_prints_on_one_or_two_a4_pages(strict, live_server):
    token = login(strict, live_server, "teacher")
    pupil = live_server.world["home"]["pupils"][0]
    entry_id = push_one(strict, token, conversation_op(1, pupil))
    reader = print_to_pdf(strict, entry_id, "print-conversation")
    assert 1 <= len(reader.pages) <= 2
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = text_of(reader)
    for words in (
        "Pupil1 Homeson",
        "Wednesday 2 December 2026",
        "Explore",
        "Focus",
        "Plan",
        "Review",
        "Agreed targets",
        "Parent or carer's acknowledgement",
        "Signature",
    ):
        assert words in text, words
    # The acknowledgement is the last thing printed, never cut off.
    assert "Signature" in reader.pages[-1].extract_text()


def test_a_six_stop_walk_prints_on_at_most_three_a4_pages(strict, live_server):
    token = login(strict, live_server, "senco")
    entry_id = push_one(strict, token, walk_op(1, live_server.world["home"]["classes"]))
    reader = print_to_pdf(strict, entry_id, "print-walk")
    assert 2 <= len(reader.pages) <= 3
    text = text_of(reader)
    for words in ("At a glance", "■ Not yet", "▲ Getting there", "● Secure", "6. Ash (Year 5)"):
        assert words in text, words
