"""Seeding for the casework walks (passport editor, concerns, reviews): each walk gets its own
made-up pupil or group on the shared live server, so walks at both sizes and the other browser
tests never see each other's records. Records go in through the real API."""

import uuid
from datetime import UTC, date, datetime

from playwright.sync_api import expect

from server.extensions import db
from server.models import Group, Pupil
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_screens import check_axe
from tests.support import PASSWORD, ApiClient, make_upn

SIZES = {"tablet": (768, 1024), "phone": (390, 844)}
_serial = iter(range(60, 999))


def client(live, role="senco") -> ApiClient:
    api = ApiClient(live.app.test_client())
    api.login(live.world["home"]["staff"][role]["email"], PASSWORD)
    return api


def new_pupil(live, forename: str, surname: str) -> int:
    home = live.world["home"]
    with live.app.app_context():
        pupil = Pupil(
            school_id=home["school"],
            upn=make_upn("830", "2002", next(_serial)),
            forename=forename,
            surname=surname,
            dob=date(2016, 5, 4),
            gender="F",
            year_group="4",
            class_id=home["classes"]["mine"],
        )
        db.session.add(pupil)
        db.session.commit()
        return pupil.id


def new_group(live, name: str, review_date: date) -> int:
    home = live.world["home"]
    with live.app.app_context():
        group = Group(
            school_id=home["school"],
            intervention_id=home["intervention"],
            name=name,
            sessions_per_week=2,
            minutes_per_session=20,
            weeks=6,
            ratio="1:4",
            start_date=date(2026, 9, 7),
            review_date=review_date,
            funding_source="notional_sen",
        )
        db.session.add(group)
        db.session.commit()
        return group.id


def push_voice(live, pupil_id: int, answers: dict, role="senco") -> str:
    entry_id = str(uuid.uuid4())
    op = {
        "op_id": str(uuid.uuid4()),
        "device_seq": 1,
        "type": "entry",
        "entry": {
            "entry_id": entry_id,
            "kind": "pupil_voice",
            "template_id": "pv-ks2",
            "template_version": 1,
            "recorded_at": datetime.now(UTC).isoformat(),
            "core": {
                "pupil_id": pupil_id,
                "date": date.today().isoformat(),
                "mode": "independent",
                "context": "passport_update",
            },
            "answers": {"feel_school": 4, **answers},
        },
    }
    response = client(live, role).post(
        "/api/v1/sync/push", json={"device_id": f"casework-{uuid.uuid4()}", "ops": [op]}
    )
    assert response.get_json()["results"][0]["status"] == "accepted", response.get_json()
    return entry_id


def sized(page, size):
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})


def look(page, axe_path, screen, size):
    """axe-core (no serious or critical problems) and a full-page photograph to look at."""
    page.wait_for_function("document.body.dataset.ready === 'true'")
    page.evaluate("document.getElementById('announce').textContent = ''")
    check_axe(page, axe_path, screen)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"pwa-{screen}-{size}.png"), full_page=True)


def confirm(page, button):
    dialog = page.locator("dialog.confirm")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name=button).click()
    expect(dialog).to_have_count(0)
