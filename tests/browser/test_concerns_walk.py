"""Safeguarding concerns, walked at tablet and phone size by the SENCO (a DSL): a concern open
for more than a day stands out on home, the list names the pupil, the concern shows the pupil's
answers with the worrying one marked, an action is recorded (a decision without its note is
refused in words), the concern is closed, and the audit view shows the action."""

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from server.extensions import db
from server.models import Concern, Staff
from tests.browser.casework_support import confirm, look, new_pupil, push_voice, sized
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def raise_old_concern(live, pupil):
    """A pupil said something worries them; the concern has waited two days."""
    push_voice(live, pupil, {"worry": "worried", "worry_detail": "Someone takes my snack"})
    with live.app.app_context():
        concern = db.session.scalar(select(Concern).where(Concern.pupil_id == pupil))
        concern.raised_at = datetime.now(UTC) - timedelta(days=2)
        db.session.commit()
        return concern.id


@pytest.mark.parametrize("size", ["tablet", "phone"])
def test_a_concern_is_acted_on_closed_and_audited(page, live_server, axe_path, size):
    pupil = new_pupil(live_server, "Concern", size.title())
    raise_old_concern(live_server, pupil)
    sized(page, size)
    log_in(page, live_server, "senco")
    alert = page.locator("#concern-alert")
    expect(alert).to_contain_text("been open for more than a day")
    look(page, axe_path, "home-concern-alert", size)

    alert.get_by_role("link", name="Open the concerns").click()
    item = page.locator(".concern-item", has_text=f"Concern {size.title()}")
    expect(item).to_contain_text("Open for 2 days")
    expect(item).to_contain_text("Answered “Yes, something worries me”")
    look(page, axe_path, "concerns", size)

    item.get_by_role("link", name=f"Concern {size.title()}").click()
    expect(page.locator("h1")).to_have_text(f"Concern about Concern {size.title()}")
    raised = page.locator("#concern-context dd.raised")
    expect(raised).to_contain_text("Yes, something worries me")
    expect(raised).to_contain_text("This answer raised the concern")
    expect(page.locator("#concern-context")).to_contain_text("Someone takes my snack")
    look(page, axe_path, "concern", size)

    form = page.locator("#action-form")
    form.get_by_role("button", name="Record action").click()
    expect(form.locator(".errors")).to_contain_text("What was done: choose one.")
    form.get_by_label("No further action").check()
    form.get_by_role("button", name="Record action").click()
    expect(form.locator('[data-field="note"] .field-problem')).to_contain_text("say what was done")
    form.get_by_label("Spoke to the pupil").check()
    form.get_by_label("Note").fill("Spoke at break; the snack is now kept in class.")
    form.get_by_role("button", name="Record action").click()
    actions = page.locator("#concern-actions")
    expect(actions).to_contain_text("Spoke to the pupil")
    expect(actions).to_contain_text("the snack is now kept in class")

    page.get_by_role("button", name="Close this concern").click()
    confirm(page, "Close it")
    expect(page.locator("#reopen")).to_be_visible()

    # What a user checks last: the audit view shows the action, the opening and the closing.
    page.locator("#concern-history").click()
    history = page.locator("#audit-list")
    expect(history).to_contain_text("Recorded an action on a safeguarding concern")
    expect(history).to_contain_text("Opened a safeguarding concern")
    expect(history).to_contain_text("Changed a safeguarding concern")
    expect(history.locator(".audit-event").first).to_contain_text("Home Senco")
    look(page, axe_path, "concern-audit", size)

    # The whole log reads in words too, and filters by what it was about.
    page.get_by_role("link", name="The whole audit log").click()
    page.get_by_label("What it was about").select_option("concern_actions")
    expect(page.locator("#audit-list .audit-event").first).to_contain_text(
        "Recorded an action on a safeguarding concern"
    )
    look(page, axe_path, "audit", size)


def set_dsl(live, role, value):
    with live.app.app_context():
        db.session.get(Staff, live.world["home"]["staff"][role]["id"]).is_dsl = value
        db.session.commit()


def test_a_teacher_who_is_a_dsl_sees_concerns(page, live_server):
    set_dsl(live_server, "teacher", True)
    try:
        log_in(page, live_server, "teacher")
        expect(page.get_by_role("link", name="Safeguarding concerns")).to_be_visible()
        page.goto("/#/concerns")
        expect(page.locator("h1")).to_have_text("Safeguarding concerns")
        expect(page.get_by_role("link", name="Audit log")).to_have_count(0)
    finally:
        set_dsl(live_server, "teacher", False)


def test_a_ta_cannot_open_concerns(page, live_server):
    log_in(page, live_server, "ta")
    expect(page.get_by_role("link", name="Safeguarding concerns")).to_have_count(0)
    page.goto("/#/concerns")
    expect(page.locator("h1")).to_contain_text("Hello")
