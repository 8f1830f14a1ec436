"""Records older than the pull window, read online (issue 16): a pupil's page offers them from
the school's server a page at a time, each marked in words as kept there; one opens read-only;
offline the control says when they can be read; a failure says so in words with a retry; none of
them is written to the device's records or outbox. The TA reads only the kinds a TA may."""

import re
import uuid
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete

from server.extensions import db
from server.models import SyncSettings, Term
from sync.pull_window import entries_from
from tests.browser.conftest import log_in
from tests.browser.test_pupil_page import friendly, op
from tests.browser.test_screens import VIEWPORTS, check_axe, shoot
from tests.support import PASSWORD, ApiClient

pytestmark = pytest.mark.browser

OLD_VOICES = 23  # a page of 20 and three more
TERM = "Older records test term"


def voice(seq, pupil, day, face):
    core = {
        "pupil_id": pupil,
        "date": day.isoformat(),
        "mode": "independent",
        "context": "termly_review",
    }
    return op(seq, "pupil_voice", "pv-ks2", core, {"feel_school": face})


def _set_window(live):
    """A term that began a fortnight ago, and a window of one term: the window starts then."""
    school, today = live.world["home"]["school"], date.today()
    with live.app.app_context():
        before = db.session.get(SyncSettings, school)
        kept = before.entry_terms if before else "none"
        db.session.add(
            Term(
                school_id=school,
                name=TERM,
                starts_on=today - timedelta(days=14),
                ends_on=today + timedelta(days=60),
            )
        )
        db.session.merge(SyncSettings(school_id=school, entry_terms=1))
        db.session.commit()
        start = entries_from(db.session, school, today)
        db.session.remove()
    return start, kept


def _restore_window(live, kept):
    school = live.world["home"]["school"]
    with live.app.app_context():
        db.session.execute(delete(Term).where(Term.school_id == school, Term.name == TERM))
        if kept == "none":
            db.session.execute(delete(SyncSettings).where(SyncSettings.school_id == school))
        else:
            db.session.merge(SyncSettings(school_id=school, entry_terms=kept))
        db.session.commit()
        db.session.remove()


@pytest.fixture(scope="module")
def older(live_server):
    """Pupil4 (in the TA's group): 23 pupil voices and a conversation with the parents from
    before the window, and one voice inside it, recorded by the SENCO."""
    start, kept = _set_window(live_server)
    home = live_server.world["home"]
    pupil = home["pupils"][3]
    voices = [
        voice(n + 1, pupil, start - timedelta(days=10 + 3 * n), 1 + n % 5)
        for n in range(OLD_VOICES)
    ]
    talk = op(
        OLD_VOICES + 1,
        "conversation",
        "conversation-structured",
        {
            "pupil_id": pupil,
            "date": (start - timedelta(days=20)).isoformat(),
            "attendees": [{"name": "Parent Olderfamily", "role": "parent"}],
            "targets": [{"wording": "Read with a grown-up three times a week"}],
        },
        {"summary": "Talked about reading at home."},
    )
    recent = voice(OLD_VOICES + 2, pupil, date.today() - timedelta(days=2), 4)
    senco = ApiClient(live_server.app.test_client())
    senco.login(home["staff"]["senco"]["email"], PASSWORD)
    ops = [*voices, talk, recent]
    body = senco.post(
        "/api/v1/sync/push", json={"device_id": f"seed-{uuid.uuid4()}", "ops": ops}
    ).get_json()
    assert [r["status"] for r in body["results"]] == ["accepted"] * len(ops), body
    yield {
        "start": start,
        "pupil": pupil,
        "voices": [o["entry"]["entry_id"] for o in voices],
        "talk": talk["entry"],
        "recent": recent["entry"]["entry_id"],
    }
    _restore_window(live_server, kept)


def open_pupil(page, live, older, role):
    log_in(page, live, role)
    page.wait_for_function(
        """async (id) => (await (await import('/js/db.js')).getRecord('entry', id)) !== null""",
        arg=older["recent"],
    )
    page.goto(f"/#/pupil-page/{older['pupil']}")
    expect(page.locator("h1")).to_have_text("Pupil4 Homeson")
    expect(page.locator("#older-heading")).to_have_text("Older records")


def held_ids(page):
    """Entry ids in this device's records and outbox: the older ones must never be there."""
    return set(
        page.evaluate("""async () => {
        const db = await import('/js/db.js');
        const pulled = (await db.getRecords('entry')).map((e) => e.entry_id);
        const queued = (await db.getOps()).filter((r) => r.op.entry).map((r) => r.op.entry.entry_id);
        return [...pulled, ...queued];
    }""")
    )


def focused_text(page):
    return page.evaluate("document.activeElement && document.activeElement.textContent")


def test_a_senco_reads_older_records_from_the_server(page, context, live_server, older, axe_path):
    open_pupil(page, live_server, older, "senco")
    section = page.locator("section[aria-labelledby='older-heading']")
    expect(section).to_contain_text(
        f"This device holds records from {friendly(older['start'])} onwards."
    )
    # Said at the top too, so an empty list above is not read as "none ever".
    expect(page.locator("#older-note")).to_contain_text(
        f"Records on this device start on {friendly(older['start'])}."
    )
    # Nothing from before the window is on the page until asked for.
    for entry_id in [*older["voices"], older["talk"]["entry_id"]]:
        expect(page.locator(f"a[href='#/record/{entry_id}']")).to_have_count(0)
    expect(page.locator(f"a[href='#/record/{older['recent']}']")).to_have_count(1)
    shoot(page, "older-records-closed", "tablet")

    show = page.get_by_role("button", name="Show older records (from the school's server)")
    show.click()
    items = page.locator("#older-records > li")
    expect(items).to_have_count(20)
    expect(page.locator("#older-status")).to_have_text("Loaded 20 older records.")
    assert focused_text(page) == items.first.locator("a").inner_text()
    expect(items.first).to_contain_text("Kept on the server, not on this device")
    expect(items.first).to_contain_text("Recorded by Home Senco")

    page.get_by_role("button", name="Show more older records").click()
    expect(items).to_have_count(OLD_VOICES + 1)
    expect(page.locator("#older-status")).to_have_text("Loaded 4 older records.")
    assert focused_text(page) == items.nth(20).locator("a").inner_text()
    expect(section).to_contain_text("That is every older record on the server.")
    expect(page.get_by_role("button", name="Show more older records")).to_have_count(0)
    # Newest first, a conversation among them; the record inside the window is not repeated.
    talk_day = date.fromisoformat(older["talk"]["core"]["date"])
    expect(
        section.get_by_role("link", name=f"Conversation with parents, {friendly(talk_day)}")
    ).to_be_visible()
    # Each says what the pupil chose, as a local record does (the first: five faces' first).
    expect(items.first.locator("a")).to_have_text(
        f"Pupil voice, {friendly(older['start'] - timedelta(days=10))}: Very sad"
    )
    expect(page.locator(f"#older-records a[href='#/record/{older['recent']}']")).to_have_count(0)
    text = page.locator("main").inner_text()
    assert not re.search(r"\bnull\b|\bundefined\b|\d{4}-\d{2}-\d{2}", text), text
    assert not held_ids(page) & {*older["voices"], older["talk"]["entry_id"]}

    for size, (width, height) in VIEWPORTS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.evaluate("document.getElementById('announce').textContent = ''")
        check_axe(page, axe_path, f"older-records-{size}")
        section.scroll_into_view_if_needed()
        shoot(page, "older-records", size)
        for target in section.locator("a, button").all():
            assert target.bounding_box()["height"] >= 44, (size, target.inner_text())
    page.set_viewport_size({"width": 768, "height": 1024})

    # One opens read-only, from the copy already read.
    section.get_by_role("link", name=f"Conversation with parents, {friendly(talk_day)}").click()
    expect(page.locator("h1")).to_have_text(f"Conversation with parents, {friendly(talk_day)}")
    expect(page.locator(".record-meta")).to_contain_text("Kept on the server, not on this device")
    expect(page.locator("#read-only")).to_contain_text("It can be read here but not corrected.")
    expect(page.locator("#record-rows")).to_contain_text("Read with a grown-up three times a week")
    expect(page.locator("#correct")).to_have_count(0)
    expect(page.locator("#withdraw")).to_have_count(0)
    text = page.locator("main").inner_text()
    assert not re.search(r"\bnull\b|\bundefined\b|\d{4}-\d{2}-\d{2}", text), text
    for size, (width, height) in VIEWPORTS.items():
        page.set_viewport_size({"width": width, "height": height})
        check_axe(page, axe_path, f"older-record-{size}")
        shoot(page, "older-record", size)
    page.set_viewport_size({"width": 768, "height": 1024})
    page.get_by_role("link", name="Back to Pupil4 Homeson's page").click()
    expect(page.locator("#older-records > li")).to_have_count(OLD_VOICES + 1)
    assert not held_ids(page) & {*older["voices"], older["talk"]["entry_id"]}

    # A record not read yet in this tab is fetched by its address.
    page.reload()
    page.goto(f"/#/record/{older['voices'][-1]}")
    expect(page.locator("h1")).to_contain_text("Pupil voice, ")
    expect(page.locator("#read-only")).to_be_visible()

    # Offline: the control explains itself instead of offering a dead button.
    page.goto(f"/#/pupil-page/{older['pupil']}")
    expect(page.locator("#older-show")).to_be_visible()
    context.set_offline(True)
    expect(page.locator("#older-offline")).to_have_text(
        "Older records can be read when this device is back online."
    )
    expect(page.locator("#older-show")).to_have_count(0)
    page.reload()
    expect(page.locator("#older-offline")).to_be_visible()
    shoot(page, "older-records-offline", "tablet")
    page.goto(f"/#/record/{older['voices'][0]}")
    expect(page.locator("#server-record-problem")).to_contain_text(
        "can be read when this device is back online"
    )
    context.set_offline(False)
    page.goto(f"/#/pupil-page/{older['pupil']}")
    expect(page.locator("#older-show")).to_be_visible()


def test_a_failure_is_said_in_words_with_a_retry(page, live_server, older, axe_path):
    open_pupil(page, live_server, older, "senco")
    page.route(
        "**/api/v1/entries/?*",
        lambda route: route.fulfill(
            status=500, content_type="text/html", body="<h1>Traceback (most recent call last)</h1>"
        ),
    )
    page.locator("#older-show").click()
    problem = page.locator("#older-problem")
    expect(problem).to_have_text(
        "The school's server had a problem answering. Try again in a minute."
    )
    assert focused_text(page) == "Try again"
    text = page.locator("main").inner_text()
    assert "500" not in text and "Traceback" not in text
    page.set_viewport_size({"width": VIEWPORTS["phone"][0], "height": VIEWPORTS["phone"][1]})
    page.evaluate("document.getElementById('announce').textContent = ''")
    check_axe(page, axe_path, "older-records-problem")
    shoot(page, "older-records-problem", "phone")

    page.unroute("**/api/v1/entries/?*")
    page.route("**/api/v1/entries/?*", lambda route: route.abort())
    page.get_by_role("button", name="Try again").click()
    expect(problem).to_contain_text("could not be reached")

    page.unroute("**/api/v1/entries/?*")
    page.get_by_role("button", name="Try again").click()
    expect(page.locator("#older-records > li")).to_have_count(20)


def test_a_server_that_never_answers_is_given_up_on_in_words(page, live_server, older):
    """A server that takes the connection and sends nothing: after READ_TIMEOUT_MS the page
    says so and offers a retry, rather than "Reading…" until the browser gives up."""
    page.clock.install()  # time still flows; fast_forward jumps the app's timeout
    open_pupil(page, live_server, older, "senco")
    hung = []
    page.route("**/api/v1/entries/?*", lambda route: hung.append(route))  # never answered
    with page.expect_request("**/api/v1/entries/?*"):  # its timer is set before the fetch
        page.locator("#older-show").click()
    expect(page.get_by_text("Reading older records from the server…")).to_be_visible()
    timeout_ms = page.evaluate("async () => (await import('/js/older.js')).READ_TIMEOUT_MS")
    page.clock.fast_forward(timeout_ms + 1000)
    expect(page.locator("#older-problem")).to_have_text(
        "The school's server took too long to answer. Try again in a minute."
    )
    assert focused_text(page) == "Try again"
    page.unroute("**/api/v1/entries/?*")
    page.get_by_role("button", name="Try again").click()
    expect(page.locator("#older-records > li")).to_have_count(20)


def test_a_ta_reads_only_the_kinds_a_ta_may(page, live_server, older):
    open_pupil(page, live_server, older, "ta")
    page.locator("#older-show").click()
    items = page.locator("#older-records > li")
    expect(items).to_have_count(20)
    page.locator("#older-more").click()
    expect(items).to_have_count(OLD_VOICES)
    expect(page.locator("#older-records")).not_to_contain_text("Conversation")
    items.first.locator("a").click()
    expect(page.locator("#read-only")).to_be_visible()
    expect(page.locator("#correct")).to_have_count(0)
    # The conversation is not the TA's to read: the app says so, as for any record not theirs.
    page.goto(f"/#/record/{older['talk']['entry_id']}")
    expect(page.locator("h1")).to_have_text("Record not found")
