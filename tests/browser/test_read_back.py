"""Staff read back, correct and finish their work in the app: one save per tap, only groups that
run on the day, no empty walks, every saved record opens again, corrections and fixes travel
through the outbox as new versions, and refusals are explained in the form's words."""

import io
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader
from sqlalchemy import select

from server.extensions import db
from server.models import Enrolment, Entry, Group
from tests.browser.conftest import log_in
from tests.browser.test_screens import check_axe

pytestmark = pytest.mark.browser
OUTBOX_JS = """new Promise((resolve) => { const open = indexedDB.open('send-evidence');
  open.onsuccess = () => { const all = open.result.transaction('outbox').objectStore('outbox').getAll();
  all.onsuccess = () => resolve(all.result.map((r) => ({ state: r.state,
    base: r.op.entry && r.op.entry.base_rev, id: r.op.entry && r.op.entry.entry_id,
    kind: r.kind }))); }; })"""


def outbox(page):
    return page.evaluate(OUTBOX_JS)


def wait_all_synced(page):
    page.get_by_role("button", name="Sync now").click()
    expect(page.locator("#unsynced")).to_have_text("All synced", timeout=20000)
    expect(page.locator("#unsynced")).to_be_visible()


def latest(live, entry_id):
    return live.scalar(
        select(Entry).where(Entry.entry_id == entry_id).order_by(Entry.rev.desc()).limit(1)
    )


def fill_session(page, note="Worked well"):
    page.goto("/#/session")
    page.get_by_role("radio", name="Talk Boost Y4").check()
    rows = page.locator(".pupil-row")
    expect(rows.first).to_be_visible()
    rows.nth(0).get_by_label("Short note").fill(note)


def test_a_double_tap_on_save_makes_one_session_and_one_voice_entry(page, live_server):
    log_in(page, live_server, "ta")
    before = len(outbox(page))
    fill_session(page)
    page.get_by_role("button", name="Save session").dblclick()
    expect(page.locator("h1")).to_contain_text("Hello")
    page.goto("/#/voice")
    page.get_by_label("Pupil", exact=True).select_option(index=1)
    page.get_by_text("Very happy", exact=True).first.click()
    page.get_by_role("button", name="Save pupil voice").dblclick()
    expect(page.locator("h1")).to_contain_text("Hello")
    ops = outbox(page)
    assert len(ops) == before + 2, ops
    assert sorted(op["kind"] for op in ops[before:]) == ["pupil_voice", "session_record"]
    wait_all_synced(page)
    ids = {op["id"] for op in ops[before:]}
    assert all(latest(live_server, entry_id).rev == 1 for entry_id in ids)


def test_only_groups_running_with_pupils_on_the_day_are_offered(page, live_server):
    home = live_server.world["home"]
    with live_server.app.app_context():
        ended = Group(
            school_id=home["school"],
            intervention_id=home["intervention"],
            name="Ended group",
            sessions_per_week=1,
            minutes_per_session=20,
            weeks=6,
            ratio="1:2",
            start_date=date(2025, 1, 6),
            funding_source="notional_sen",
            staff=[db.session.get(Group, home["group"]).staff[0]],
        )
        db.session.add(ended)
        db.session.flush()
        db.session.add(
            Enrolment(
                school_id=home["school"],
                group_id=ended.id,
                pupil_id=home["pupils"][0],
                joined_on=date(2025, 1, 6),
            )
        )
        db.session.commit()
        db.session.remove()
    log_in(page, live_server, "senco")
    page.goto("/#/session")
    picker = page.locator("#group-picker")
    expect(picker.get_by_role("radio", name="Talk Boost Y4")).to_be_visible()
    expect(picker.get_by_role("radio", name="Ended group")).to_have_count(0)
    expect(picker.get_by_role("radio", name="Empty group")).to_have_count(0)
    # The ended group's own days: it is offered then, with its pupil.
    page.get_by_label("Date of the session").fill("2025-01-13")
    page.get_by_label("Date of the session").dispatch_event("change")
    expect(picker.get_by_role("radio", name="Ended group")).to_be_checked()
    expect(page.get_by_role("heading", name="Pupils (1)")).to_be_visible()
    # A day no group runs says so at once, not on Save.
    page.get_by_label("Date of the session").fill("2024-08-01")
    page.get_by_label("Date of the session").dispatch_event("change")
    expect(page.locator("#no-groups")).to_contain_text("None of your groups runs on Thu 1 Aug 2024")
    expect(page.get_by_role("button", name="Save session")).to_have_count(0)


def test_an_empty_learning_walk_is_not_saved(page, live_server):
    log_in(page, live_server, "senco")
    before = len(outbox(page))
    page.goto("/#/walk")
    page.get_by_role("button", name="Save learning walk").click()
    errors = page.locator(".errors")
    expect(errors).to_contain_text("Stops: add at least one stop")
    page.get_by_role("button", name="Add a stop").click()
    page.get_by_role("button", name="Save learning walk").click()
    expect(errors).to_contain_text("Stop 1: choose a class or name the area.")
    expect(errors).to_contain_text("give at least one judgement")
    expect(page.locator("h1")).to_have_text("Learning walk")
    assert len(outbox(page)) == before


def test_an_intervention_review_names_the_group_it_is_about(page, live_server):
    log_in(page, live_server, "ta")
    page.goto("/#/voice")
    pupil = page.get_by_label("Pupil", exact=True)
    pupil.select_option(label=pupil.locator("option", has_text="Pupil1").first.inner_text())
    page.get_by_label("Context").select_option("intervention_review")
    expect(page.get_by_label("Which intervention is this about?")).to_have_value(
        str(live_server.world["home"]["group"])
    )
    page.get_by_text("All as a list", exact=True).click()
    expect(page.locator("#questions")).to_contain_text("How do you feel about Talk Boost Y4?")
    expect(page.locator("#questions")).not_to_contain_text("{intervention}")


def test_ta_corrects_yesterdays_attendance_offline_and_it_reaches_the_provision_map(
    page, context, live_server
):
    log_in(page, live_server, "ta")
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    fill_session(page)
    page.get_by_label("Date of the session").fill(yesterday)
    page.get_by_label("Date of the session").dispatch_event("change")
    page.get_by_role("radio", name="Talk Boost Y4").check()
    page.get_by_role("button", name="Save session").click()
    expect(page.locator("h1")).to_contain_text("Hello")
    wait_all_synced(page)
    entry_id = outbox(page)[-1]["id"]

    context.set_offline(True)
    page.locator("#recent a").first.click()
    expect(page.locator("#record-rows")).to_contain_text("Present")
    page.get_by_role("link", name="Correct this record").click()
    first_row = page.locator(".pupil-row").first
    first_row.get_by_text("Absent", exact=True).click()
    first_row.get_by_label("Reason for absence").fill("Dentist")
    page.get_by_role("button", name="Save the correction").click()
    expect(page.locator("h1")).to_contain_text("Hello")
    expect(page.locator("#unsynced")).to_have_text("1 not synced")
    assert outbox(page)[-1] == {
        "state": "pending",
        "base": 1,
        "id": entry_id,
        "kind": "session_record",
    }

    context.set_offline(False)
    wait_all_synced(page)
    stored = latest(live_server, entry_id)
    assert stored.rev == 2 and stored.core["attendance"][0]["status"] == "absent"
    page.goto("/#/provision")
    expect(page.locator("#map-groups")).to_contain_text("Talk Boost Y4")
    # The pupil's attendance now counts the absence.
    figures = page.evaluate("fetch('/api/v1/provision-map').then((r) => r.json())")
    group = next(g for g in figures["groups"] if g["group"] == "Talk Boost Y4")
    assert any(
        p["attendance_pct"] is not None and p["attendance_pct"] < 100 for p in group["pupils"]
    )


QUEUE_LONG_NOTE = """async ({ groupId, pupilIds }) => {
  const outbox = await import('/js/outbox.js');
  const { entryOp } = await import('/js/entries.js');
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
  const attendance = pupilIds.map((id, i) => ({ pupil_id: id, status: 'present',
    note: i === 0 ? 'x'.repeat(10000) : null }));
  await outbox.save(entryOp('session_record', { template_id: 'session-record', version: 1 },
    { group_id: groupId, date: today, minutes_delivered: 30, delivered_as_planned: true, attendance }),
    { kind: 'session_record', summary: 'Session record: Talk Boost Y4, today' });
}"""


def queue_long_note(page, live_server):
    """A record saved by an older app that did not check lengths: the server refuses it."""
    home = live_server.world["home"]
    with live_server.app.app_context():
        pupils = sorted(
            db.session.scalars(
                select(Enrolment.pupil_id).where(Enrolment.group_id == home["group"])
            ).all()
        )
        db.session.remove()
    page.evaluate(QUEUE_LONG_NOTE, {"groupId": home["group"], "pupilIds": pupils})
    page.get_by_role("button", name="Sync now").click()
    expect(page.locator("#attention")).to_have_text("1 needs attention")


def test_a_refused_record_opens_in_its_form_is_fixed_and_syncs(page, live_server, axe_path):
    log_in(page, live_server, "ta")
    queue_long_note(page, live_server)
    page.locator("#attention").click()
    item = page.locator("#quarantine-list li.quarantined")
    expect(item).to_contain_text(
        "Note for Pupil1 Homeson is too long: 10,000 characters, at most 5,000."
    )
    expect(item).not_to_contain_text("core.")
    expect(item).not_to_contain_text(" op")
    check_axe(page, axe_path, "quarantine")
    item.get_by_role("link", name="Open it to fix").click()
    note = page.locator(".pupil-row").first.get_by_label("Short note")
    expect(note).to_have_value("x" * 10000)
    page.get_by_role("button", name="Save the correction").click()
    expect(page.locator(".errors")).to_contain_text("too long: 10,000 characters, at most 5,000")
    note.fill("Fixed: a short note")
    page.get_by_role("button", name="Save the correction").click()
    expect(page.locator("h1")).to_contain_text("Hello")
    wait_all_synced(page)
    expect(page.locator("#attention")).to_be_hidden()
    ops = outbox(page)
    fixed = latest(live_server, ops[-1]["id"])
    assert fixed.rev == 1 and fixed.core["attendance"][0]["note"] == "Fixed: a short note"
    # The refused version is not sent again, but the export file still carries it.
    assert ops[-2]["state"] == "discarded" and ops[-2]["id"] == ops[-1]["id"]
    doc = page.evaluate("import('/js/export.js').then((m) => m.unsyncedDocument())")
    assert any(
        len(op["op"]["entry"]["core"]["attendance"][0]["note"] or "") == 10000 for op in doc["ops"]
    )


def test_a_refused_record_is_discarded_only_after_a_confirmation(page, live_server):
    log_in(page, live_server, "ta")
    queue_long_note(page, live_server)
    page.goto("/#/quarantine")
    item = page.locator("#quarantine-list li.quarantined")
    item.get_by_role("button", name="Discard").click()
    page.get_by_role("dialog").get_by_role("button", name="Cancel").click()
    expect(item).to_have_count(1)
    item.get_by_role("button", name="Discard").click()
    page.get_by_role("dialog").get_by_role("button", name="Discard it").click()
    expect(page.locator("#quarantine-list li.quarantined")).to_have_count(0)
    expect(page.locator("#attention")).to_be_hidden()
    assert outbox(page)[-1]["state"] == "discarded"


def test_a_stale_correction_shows_both_versions_and_the_user_chooses(page, live_server, axe_path):
    log_in(page, live_server, "ta")
    fill_session(page, note="First note")
    page.get_by_role("button", name="Save session").click()
    expect(page.locator("h1")).to_contain_text("Hello")
    wait_all_synced(page)
    entry_id = outbox(page)[-1]["id"]
    # Meanwhile the SENCO corrects the same record on another device.
    senco = page.context.browser.new_context(base_url=live_server.url)
    other = senco.new_page()
    log_in(other, live_server, "senco")
    other.goto(f"/#/record/{entry_id}")
    other.get_by_role("link", name="Correct this record").click()
    other.locator(".pupil-row").first.get_by_label("Short note").fill("SENCO's note")
    other.get_by_role("button", name="Save the correction").click()
    expect(other.locator("h1")).to_contain_text("Hello")
    wait_all_synced(other)
    senco.close()
    assert latest(live_server, entry_id).rev == 2

    page.goto(f"/#/record/{entry_id}")
    page.get_by_role("link", name="Correct this record").click()
    page.locator(".pupil-row").first.get_by_label("Short note").fill("TA's note")
    page.get_by_role("button", name="Save the correction").click()
    page.get_by_role("button", name="Sync now").click()
    expect(page.locator("#attention")).to_have_text("1 needs attention")
    page.goto("/#/quarantine")
    page.get_by_role("link", name="Compare the versions").click()
    expect(page.locator("#mine-rows")).to_contain_text("TA's note")
    expect(page.locator("#theirs-rows")).to_contain_text("SENCO's note")
    check_axe(page, axe_path, "conflict")
    page.get_by_role("button", name="Keep my version").click()
    page.wait_for_function(
        "(id) => fetch(`/api/v1/entries/${id}`).then((r) => r.json()).then((e) => e.rev === 3)",
        arg=entry_id,
    )
    wait_all_synced(page)
    stored = latest(live_server, entry_id)
    assert stored.rev == 3 and stored.core["attendance"][0]["note"] == "TA's note"


def test_the_senco_prints_a_conversation_for_the_parents(page, live_server, axe_path):
    log_in(page, live_server, "senco")
    page.goto("/#/conversation")
    page.get_by_label("Pupil", exact=True).select_option(index=1)
    page.get_by_label("Name (attendee 2)").fill("Parent of the pupil")
    page.locator("textarea").first.fill("Home says reading at bedtime is going well.")
    page.get_by_label("Summary of what we agreed").fill("Keep the bedtime reading going.")
    page.get_by_role("button", name="Save conversation").click()
    expect(page.locator(".errors")).to_be_hidden()
    expect(page.locator("h1")).to_contain_text("Hello")
    wait_all_synced(page)
    page.locator("#recent a").first.click()
    expect(page.locator("#record-rows")).to_contain_text("reading at bedtime")
    check_axe(page, axe_path, "record")
    link = page.get_by_role("link", name="Print for the parents")
    href = link.get_attribute("href")
    page.goto(href)
    expect(page.locator("body")).to_contain_text("reading at bedtime")
    expect(page.locator("body")).to_contain_text("Parent of the pupil")
    pages = PdfReader(io.BytesIO(page.pdf(format="A4"))).pages
    assert 1 <= len(pages) <= 2
    assert "reading at bedtime" in "".join(p.extract_text() for p in pages)


def test_the_senco_home_shows_the_register_first_and_finds_a_pupil(page, live_server):
    log_in(page, live_server, "senco")
    register = page.locator("#register-list li")
    expect(register.first).to_contain_text("SEN support")
    page.get_by_label("Find a pupil").fill("pupil3")
    expect(page.locator("#other-pupils li:not([hidden])")).to_have_count(1)
    expect(page.locator("details.others")).to_have_attribute("open", "")
    page.get_by_label("Find a pupil").fill("nobody-by-this-name")
    expect(page.locator("#no-match")).to_be_visible()


def test_the_author_withdraws_a_record_and_it_stops_counting(page, live_server):
    log_in(page, live_server, "ta")
    fill_session(page, note="Recorded against the wrong group")
    page.get_by_role("button", name="Save session").click()
    expect(page.locator("h1")).to_contain_text("Hello")
    wait_all_synced(page)
    entry_id = outbox(page)[-1]["id"]
    page.locator("#recent a").first.click()
    page.get_by_role("button", name="Withdraw").click()
    page.get_by_role("dialog").get_by_role("button", name="Withdraw it").click()
    expect(page.locator("h1")).to_contain_text("Hello")
    expect(page.locator("#recent li").first).to_contain_text("Withdrawn")
    wait_all_synced(page)
    stored = latest(live_server, entry_id)
    assert stored.deleted and stored.rev == 2


def test_the_staff_form_asks_a_follow_up_only_after_the_answer_that_leads_to_it(page, live_server):
    log_in(page, live_server, "ta")
    page.goto("/#/voice")
    page.get_by_label("Pupil", exact=True).select_option(index=1)
    page.get_by_text("All as a list", exact=True).click()
    questions = page.locator("#questions")
    expect(questions.locator('[data-question="worry"]')).to_be_visible()
    expect(questions.locator('[data-question="worry_detail"]')).to_have_count(0)
    page.get_by_text("Yes, something worries me", exact=True).click()
    expect(questions.locator('[data-question="worry_detail"]')).to_be_visible()
    page.get_by_text("No", exact=True).click()
    expect(questions.locator('[data-question="worry_detail"]')).to_have_count(0)


def test_home_follows_the_outbox_so_it_never_contradicts_the_header(page, context, live_server):
    log_in(page, live_server, "ta")
    context.set_offline(True)
    fill_session(page, note="Saved offline")
    page.get_by_role("button", name="Save session").click()
    expect(page.locator("#unsynced-summary")).to_have_text("1 record not yet on the server.")
    expect(page.locator("#recent li").first).to_contain_text("Waiting to sync")
    context.set_offline(False)
    page.get_by_role("button", name="Sync now").click()
    expect(page.locator("#unsynced")).to_have_text("All synced")
    expect(page.locator("#unsynced-summary")).to_have_text(
        "Everything you saved has reached the server."
    )
    expect(page.locator("#recent li").first).to_contain_text("Synced")
