"""The PWA's sync contract in a real browser against a real server (DESIGN §5.5).

Offline capture of every kind survives a reload and syncs exactly once; a response lost after
the server committed is retried without duplicates; a rejected op is quarantined with its reason
and never blocks the next one.
"""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from server.models import Attachment, Entry, SyncOp
from tests.browser.conftest import jpeg_bytes, log_in

pytestmark = pytest.mark.browser
KINDS = ("session_record", "pupil_voice", "conversation", "learning_walk")


def entry_counts(live):
    return {kind: live.count(Entry, Entry.kind == kind) for kind in KINDS}


def capture_session(page, group="Talk Boost Y4"):
    page.goto("/#/session")
    page.get_by_role("radio", name=group).check()
    rows = page.locator(".pupil-row")
    expect(rows.first).to_be_visible()
    for i in range(rows.count()):
        rows.nth(i).get_by_text("Happy", exact=True).click()
    rows.nth(0).get_by_text("Absent", exact=True).click()
    rows.nth(0).get_by_label("Reason for absence").fill("Dentist")
    page.get_by_role("button", name="Save session").click()
    expect(page.locator("h1")).to_contain_text("Hello")


def capture_voice(page):
    page.goto("/#/voice")
    page.get_by_label("Pupil", exact=True).select_option(index=1)
    page.get_by_text("Very happy", exact=True).click()
    page.get_by_role("button", name="Next question").click()
    page.get_by_label("What are you good at?").fill("Drawing")
    page.get_by_role("button", name="Save pupil voice").click()
    expect(page.locator("h1")).to_contain_text("Hello")


def capture_conversation(page):
    page.goto("/#/conversation")
    page.get_by_label("Pupil", exact=True).select_option(index=1)
    page.get_by_label("Name (attendee 2)").fill("Mrs Parent")
    page.get_by_label("What does your child do well?").fill("Lego, and looking after the cat.")
    page.get_by_label("Summary of what we agreed").fill("Weekly reading at home; review in March.")
    page.get_by_role("button", name="Add target").click()
    page.get_by_label("Target (target 1)").fill("Read 10 minutes every day")
    page.get_by_label("Success criteria (target 1)").fill("Reading log filled 4 days a week")
    page.get_by_role("button", name="Add action").click()
    page.get_by_label("Action (action 1)").fill("Send home reading log")
    page.get_by_label("Owner (action 1)").fill("Key teacher")
    page.get_by_role("button", name="Save conversation").click()
    expect(page.locator("h1")).to_contain_text("Hello")


def capture_walk(page, photo: bytes):
    page.goto("/#/walk")
    page.get_by_label("Focus").select_option("lw-inclusive-classroom")
    page.get_by_role("button", name="Add a stop").click()
    stop = page.locator(".stop").first
    stop.get_by_label("Area").fill("Library")
    stop.locator(".rag-group").first.get_by_text("Secure", exact=True).click()
    stop.locator(".rag-group").nth(1).get_by_text("Not yet", exact=True).click()
    stop.locator("input[type=file]").set_input_files(
        files=[{"name": "wall.jpg", "mimeType": "image/jpeg", "buffer": photo}]
    )
    expect(stop.get_by_text("1 photo ready.")).to_be_visible()
    page.get_by_label("Strengths").fill("Visual timetables everywhere")
    page.get_by_role("button", name="Save learning walk").click()
    expect(page.locator("h1")).to_contain_text("Hello")


def test_offline_round_trip(page, context, live_server):
    before = entry_counts(live_server)
    log_in(page, live_server, "senco")
    context.set_offline(True)
    capture_session(page)
    capture_voice(page)
    capture_conversation(page)
    capture_walk(page, jpeg_bytes())
    # Four entries and one photo wait on the device.
    expect(page.locator("#unsynced")).to_have_text("5 not synced")

    page.reload()
    expect(page.locator("h1")).to_contain_text("Hello")
    expect(page.locator("#unsynced")).to_have_text("5 not synced")
    expect(page.locator("#recent li[data-state=pending]")).to_have_count(4)
    assert entry_counts(live_server) == before

    context.set_offline(False)
    page.get_by_role("button", name="Sync now").click()
    expect(page.locator("#unsynced")).to_have_text("All synced", timeout=20000)
    after = entry_counts(live_server)
    assert {k: after[k] - before[k] for k in KINDS} == {k: 1 for k in KINDS}
    walk = live_server.scalar(
        select(Entry).where(Entry.kind == "learning_walk").order_by(Entry.id.desc()).limit(1)
    )
    [sha] = walk.core["attachments"]
    stored = live_server.scalar(select(Attachment).where(Attachment.sha256 == sha))
    assert stored is not None and max(stored.width, stored.height) <= 1600
    session = live_server.scalar(
        select(Entry).where(Entry.kind == "session_record").order_by(Entry.id.desc()).limit(1)
    )
    statuses = [row["status"] for row in session.core["attendance"]]
    assert statuses.count("absent") == 1 and len(statuses) == 6


def test_network_cut_after_commit_does_not_duplicate(page, live_server):
    log_in(page, live_server, "ta")
    cut = []

    def commit_then_drop(route):
        response = route.fetch()  # the server commits the batch ...
        cut.append(response.status)
        route.abort()  # ... but the device never hears back

    page.route("**/api/v1/sync/push", commit_then_drop)
    before = live_server.count(Entry, Entry.kind == "session_record")
    capture_session(page)
    page.wait_for_function("document.querySelector('#sync-status').textContent.includes('retry')")
    assert cut == [200]
    assert live_server.count(Entry, Entry.kind == "session_record") == before + 1
    expect(page.locator("#unsynced")).to_have_text("1 not synced")

    page.unroute("**/api/v1/sync/push")
    page.get_by_role("button", name="Sync now").click()
    expect(page.locator("#unsynced")).to_have_text("All synced")
    assert live_server.count(Entry, Entry.kind == "session_record") == before + 1
    entry = live_server.scalar(
        select(Entry).where(Entry.kind == "session_record").order_by(Entry.id.desc()).limit(1)
    )
    assert live_server.count(Entry, Entry.entry_id == entry.entry_id) == 1
    assert live_server.count(SyncOp, SyncOp.device_id == entry.device_id) == 1


def test_rejected_op_is_quarantined_and_does_not_block(page, live_server):
    log_in(page, live_server, "ta")
    outsider = live_server.world["other"]["pupils"][0]
    # A crafted op about another school's pupil, queued through the app's own outbox module.
    page.evaluate(
        """async (pupilId) => {
        const outbox = await import('/js/outbox.js');
        const { entryOp } = await import('/js/entries.js');
        const op = entryOp('pupil_voice', { template_id: 'pv-ks2', version: 1 },
          { pupil_id: pupilId, date: '2026-11-02', mode: 'independent', context: 'termly_review' },
          { feel_school: 4 });
        await outbox.save(op, { kind: 'pupil_voice', summary: 'Crafted voice entry' });
    }""",
        outsider,
    )
    before = live_server.count(Entry, Entry.kind == "session_record")
    capture_session(page)
    page.get_by_role("button", name="Sync now").click()
    expect(page.locator("#attention")).to_have_text("1 needs attention")
    # Only the quarantined op is left: the session record behind it went through, and the
    # header says so once ("needs attention"), not also "not synced".
    expect(page.locator("#unsynced")).to_be_hidden()
    assert live_server.count(Entry, Entry.kind == "session_record") == before + 1

    page.locator("#attention").click()
    item = page.locator("#quarantine-list li.quarantined")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Crafted voice entry")
    expect(item).to_contain_text(f"Pupil {outsider} is not one of your pupils.")
    expect(item).not_to_contain_text("core.")
    expect(page.locator("#attention")).to_have_text("1 needs attention")


def test_expired_session_keeps_work_until_login(page, live_server):
    from server import auth

    log_in(page, live_server, "ta")
    ta = live_server.world["home"]["staff"]["ta"]
    with live_server.app.app_context():
        auth.end_sessions_for(ta["id"])  # an admin ends the session, or it expires
        from server.extensions import db

        db.session.commit()
        db.session.remove()
    before = live_server.count(Entry, Entry.kind == "session_record")
    capture_session(page)
    expect(page.locator("#login-again")).to_be_visible()
    expect(page.locator("#unsynced")).to_have_text("1 not synced")
    assert live_server.count(Entry, Entry.kind == "session_record") == before

    page.locator("#login-again").click()
    expect(page.get_by_text("1 record saved on this device")).to_be_visible()
    page.get_by_label("Password").fill(live_server.world.password)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#unsynced")).to_have_text("All synced")
    assert live_server.count(Entry, Entry.kind == "session_record") == before + 1


def test_logout_with_unsynced_work_warns_and_keeps_it(page, context, live_server):
    log_in(page, live_server, "ta")
    context.set_offline(True)
    before = live_server.count(Entry, Entry.kind == "session_record")
    capture_session(page)
    page.get_by_role("button", name="Log out").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("1 record not yet on the server")
    dialog.get_by_role("button", name="Stay logged in").click()
    expect(page.locator("h1")).to_contain_text("Hello")

    page.get_by_role("button", name="Log out").click()
    dialog.get_by_role("button", name="Log out, keep work on device").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    expect(page.locator("#unsynced")).to_have_text("1 not synced")

    context.set_offline(False)
    page.get_by_label("Password").fill(live_server.world.password)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#unsynced")).to_have_text("All synced")
    assert live_server.count(Entry, Entry.kind == "session_record") == before + 1
