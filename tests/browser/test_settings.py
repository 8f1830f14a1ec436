"""The admin's staff and school settings (issue 14, item 6), walked at a tablet and a phone size:
an account made in the app, its temporary password shown once, the newcomer choosing their own
password at first login and seeing their groups; refusals beside the field they are about; terms
that never overlap. Every screen is axe-checked and photographed into test-artifacts/."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from server.extensions import db
from server.models import Group, Staff
from tests.browser.conftest import log_in
from tests.browser.test_screens import VIEWPORTS, check_axe, shoot

pytestmark = pytest.mark.browser
OWN_PASSWORD = "violet harbour trumpet 1987"


def sized(page, size):
    width, height = VIEWPORTS[size]
    page.set_viewport_size({"width": width, "height": height})


def quiet(page):
    """Let the announcement bar clear, so a screenshot shows the screen itself."""
    page.evaluate("document.getElementById('announce').textContent = ''")


def confirm(page, words):
    dialog = page.locator("dialog.confirm")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name=words).click()


def deliver_the_group(live, email):
    """The SENCO puts the newcomer on the TA's group (the groups screen is another test's)."""
    with live.app.app_context():
        member = db.session.scalar(select(Staff).where(Staff.email == email))
        group = db.session.get(Group, live.world["home"]["group"])
        group.staff.append(member)
        db.session.commit()


@pytest.mark.parametrize("size", VIEWPORTS)
def test_a_new_ta_logs_in_with_the_set_password_and_sees_their_groups(
    browser, live_server, axe_path, size
):
    email = f"robin.vale.{size}@home.example.org"
    admin_ctx = browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = admin_ctx.new_page()
    sized(page, size)
    log_in(page, live_server, "admin")
    page.get_by_role("link", name="Staff").click()
    expect(page.locator("#staff-list > li").first).to_be_visible()
    quiet(page)
    check_axe(page, axe_path, "staff")
    shoot(page, "staff", size)
    page.get_by_role("link", name="Add a member of staff").click()
    page.get_by_label("Name").fill(f"Robin Vale {size}")
    page.get_by_label("Email").fill("robin.vale")  # not a whole address yet
    page.get_by_text("Teaching assistant", exact=True).click()
    page.get_by_role("button", name="Add and make a temporary password").click()
    problem = page.locator(".field-error")
    expect(problem).to_contain_text("type a whole address")
    expect(page.get_by_label("Name")).to_have_value(f"Robin Vale {size}")  # nothing typed is lost
    check_axe(page, axe_path, "staff-edit")
    shoot(page, "staff-edit", size)
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Add and make a temporary password").click()
    expect(page.locator("#temp-password")).to_be_visible()
    temporary = page.locator("#temp-password").inner_text()
    assert len(temporary) == 14
    quiet(page)
    check_axe(page, axe_path, "staff-added")
    shoot(page, "staff-added", size)
    admin_ctx.close()

    deliver_the_group(live_server, email)
    ta_ctx = browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = ta_ctx.new_page()
    sized(page, size)
    page.goto("/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(temporary)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("h1")).to_have_text("Choose your own password")
    page.goto("/#/home")  # nothing else opens until the password is chosen
    expect(page.locator("h1")).to_have_text("Choose your own password")
    page.get_by_label("Temporary password you logged in with").fill(temporary)
    page.get_by_label("New password", exact=True).fill(OWN_PASSWORD)
    page.get_by_label("New password again").fill("something else entirely")
    page.get_by_role("button", name="Save my new password").click()
    expect(page.locator(".field-error")).to_contain_text("not the same")
    quiet(page)
    check_axe(page, axe_path, "password")
    shoot(page, "password", size)
    page.get_by_label("New password again").fill(OWN_PASSWORD)
    page.get_by_role("button", name="Save my new password").click()
    expect(page.locator("h1")).to_have_text(f"Hello, Robin Vale {size}")
    expect(page.locator("#groups-heading + ul")).to_contain_text("Talk Boost Y4")
    ta_ctx.close()


def test_the_last_admin_is_kept_and_refusals_sit_beside_the_field(page, live_server, axe_path):
    """In the other school, whose only admin is the world's: demoting them is refused by the
    server, shown beside Role, and the form keeps what was chosen."""
    other = live_server.world["other"]
    admins = live_server.scalar(
        select(func.count()).where(
            Staff.school_id == other["school"], Staff.role == "admin", Staff.active.is_(True)
        )
    )
    assert admins == 1
    log_in(page, live_server, "admin", school="other")
    page.goto(f"/#/staff-edit/{other['staff']['admin']['id']}")
    expect(page.locator("h1")).to_have_text("Other Admin")
    page.get_by_text("SENCO", exact=True).click()
    page.get_by_role("button", name="Save changes").click()
    confirm(page, "Change the role")
    role = page.locator("fieldset.radio-list", has_text="Role")
    expect(role.locator(".field-error")).to_contain_text("only active admin")
    expect(page.locator('input[name="role"][value="senco"]')).to_be_checked()
    check_axe(page, axe_path, "staff-edit-refused")
    page.goto(f"/#/staff-edit/{other['staff']['ta']['id']}")
    # A new hash is drawn off-screen first: until the TA's page is in, "Deactivate" is still the
    # admin's own button.
    expect(page.locator("h1")).to_have_text("Other Ta")
    page.get_by_role("button", name="Deactivate").click()
    confirm(page, "Deactivate")
    expect(page.get_by_role("button", name="Reactivate")).to_be_visible()
    page.get_by_role("button", name="Reactivate").click()
    expect(page.get_by_role("button", name="Deactivate")).to_be_visible()


@pytest.mark.parametrize("size", VIEWPORTS)
def test_terms_are_added_in_friendly_dates_and_never_overlap(page, live_server, axe_path, size):
    sized(page, size)
    log_in(page, live_server, "admin")
    page.goto("/#/terms")
    year = 2050 if size == "tablet" else 2051
    form = page.locator("#term-form")
    form.get_by_label("Name").fill(f"Autumn 1 {year}")
    form.get_by_label("First day").fill(f"{year}-09-01")
    form.get_by_label("Last day").fill(f"{year}-10-21")
    form.get_by_role("button", name="Add the term").click()
    expect(page.locator("#term-list")).to_contain_text(f"Autumn 1 {year}")
    form = page.locator("#term-form")
    form.get_by_label("Name").fill(f"Autumn 2 {year}")
    form.get_by_label("First day").fill(f"{year}-10-18")
    form.get_by_label("Last day").fill(f"{year}-12-18")
    form.get_by_role("button", name="Add the term").click()
    expect(form.locator(".field-error")).to_contain_text(f"overlap Autumn 1 {year}")
    expect(form.get_by_label("Name")).to_have_value(f"Autumn 2 {year}")
    text = page.locator("main").inner_text()
    assert f"{year}-09" not in text, "dates read in the app's one style, never ISO"
    quiet(page)
    check_axe(page, axe_path, "terms")
    shoot(page, "terms", size)


def test_the_senco_reads_staff_and_names_a_safeguarding_lead(page, live_server, axe_path):
    log_in(page, live_server, "senco", school="other")
    page.goto("/#/staff")
    teacher = live_server.world["other"]["staff"]["teacher"]
    card = page.locator(".staff-card", has_text=teacher["email"])
    card.get_by_role("button", name="as safeguarding lead").click()
    confirm(page, "Name them")
    expect(card).to_contain_text("Designated safeguarding lead")
    assert page.get_by_role("link", name="Add a member of staff").count() == 0
    check_axe(page, axe_path, "staff-senco")
    # Stand them down again: other tests expect this teacher to see no concerns.
    card.get_by_role("button", name="as safeguarding lead").click()
    confirm(page, "Stand them down")
    expect(card).not_to_contain_text("Designated safeguarding lead")
