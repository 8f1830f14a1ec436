"""Review prompts as a to-do list, walked at tablet and phone size by the SENCO: an overdue group
review names its group, links to it, groups by pupil or by group, refuses "not needed" without a
reason, and a snoozed prompt leaves the list until its day, then comes back saying so."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from server.extensions import db
from server.models import ReviewDecision
from tests.browser.casework_support import look, new_group, sized
from tests.browser.conftest import log_in
from tests.browser.test_pupil_page import friendly

pytestmark = pytest.mark.browser


def prompt(page, name):
    return page.locator(".review-item", has_text=f"{name}: review overdue")


@pytest.mark.parametrize("size", ["tablet", "phone"])
def test_a_snoozed_review_leaves_the_list_until_its_day(page, live_server, axe_path, size):
    name = f"Casework {size} group"
    overdue_on = date.today() - timedelta(days=10)
    group = new_group(live_server, name, overdue_on)
    sized(page, size)
    log_in(page, live_server, "senco")
    page.goto("/#/reviews")
    item = prompt(page, name)
    expect(item).to_contain_text(f"Overdue: due {friendly(overdue_on)}")
    expect(item.get_by_role("link", name="Open the group")).to_have_attribute(
        "href", f"#/group/{group}"
    )
    look(page, axe_path, "reviews", size)

    # By group: the prompt sits under its group's own heading.
    page.get_by_role("radio", name="Group", exact=True).check()
    expect(page.locator(".review-section h2", has_text=name)).to_be_visible()
    look(page, axe_path, "reviews-by-group", size)

    # "Not needed" says why, or is refused beside the field; Cancel keeps the prompt.
    item.get_by_role("button", name="Not needed, because…").click()
    item.get_by_role("button", name="Save: not needed").click()
    expect(item.locator('[data-field="reason"] .field-problem')).to_contain_text("Say why")
    item.get_by_role("button", name="Cancel").click()

    item.get_by_role("button", name="Snooze until…").click()
    item.get_by_role("button", name="One week").click()
    item.get_by_role("button", name="Snooze", exact=True).click()
    back_on = date.today() + timedelta(days=7)
    expect(prompt(page, name)).to_have_count(0)
    dealt = page.locator("#dealt-with")
    dealt.locator("summary").click()
    expect(dealt).to_contain_text(f"Snoozed until {friendly(back_on)} by Home Senco")

    # The day comes: the prompt is back on the list, saying it was snoozed.
    with live_server.app.app_context():
        decision = db.session.scalar(select(ReviewDecision).where(ReviewDecision.group_id == group))
        decision.until = date.today()
        db.session.commit()
    page.goto("/#/home")
    page.goto("/#/reviews")
    expect(prompt(page, name)).to_contain_text("Snoozed until")
    expect(prompt(page, name)).to_contain_text("It is back on the list.")
