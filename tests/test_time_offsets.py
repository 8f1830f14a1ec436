"""No naive time leaves the server: a demo school's day, every role, every JSON response.

Each role logs in, pulls everything, the TA pushes a session record and a pupil voice, and then
every GET operation in the OpenAPI document is read with real ids. Every string that reads as a
date and time must carry "+00:00"; dates stay yyyy-mm-dd.
"""

import hashlib
from datetime import UTC, date, datetime

import pytest

from server.extensions import db
from server.models import AuditEvent
from tests.contract_support import (
    API,
    ROLES,
    fill_paths,
    first_login,
    password,
    pull_all,
    ta_ops,
    times_without_offset,
    tiny_png,
)
from tests.support import ApiClient


@pytest.fixture
def demo(app, runner):
    assert runner.invoke(args=["demo"]).exit_code == 0


def login(app, role: str) -> ApiClient:
    client = ApiClient(app.test_client())
    client.login(first_login(role), password())
    return client


def checked(response, where: str) -> list[str]:
    if response.is_json:
        return times_without_offset(response.get_json(), where)
    if response.mimetype == "text/csv":
        return times_without_offset(
            response.get_data(as_text=True).replace(",", "\n").split(), where
        )
    return []


def test_every_time_in_a_demo_day_carries_its_offset(app, demo):
    senco = login(app, "senco")
    spec = senco.get(f"{API}/openapi.json").get_json()
    bad: list[str] = []

    ta = login(app, "ta")
    pages = pull_all(ta.get)
    changes = [c for page in pages for c in page["changes"]]
    bad += [b for page in pages for b in times_without_offset(page, "ta pull")]
    me = ta.get(f"{API}/me").get_json()
    ta_id = me.get("id") or me["staff"]["id"]
    last = max(c["data"]["date"] for c in changes if c["type"] == "entry")
    pushed = ta.post(
        f"{API}/sync/push", json={"device_id": "offsets-test", "ops": ta_ops(changes, ta_id, last)}
    )
    assert pushed.status_code == 200, pushed.get_json()
    assert {r["status"] for r in pushed.get_json()["results"]} == {"accepted"}, pushed.get_json()
    bad += checked(pushed, "ta push")

    photo = tiny_png()
    sha256 = hashlib.sha256(photo).hexdigest()
    stored = ta.put(f"{API}/attachments/{sha256}", data=photo, content_type="image/png")
    assert stored.status_code == 201, stored.get_json()
    bad += checked(stored, "ta attachment")

    known = {"sha256": sha256}
    everything, unfilled = fill_paths(senco.get, spec, known)
    assert len(everything) > 30 and not unfilled, unfilled
    read = 0
    for role in ROLES:
        client = login(app, role)
        # Each role's own ids where it has some, so it reads more than its refusals.
        own, _ = fill_paths(client.get, spec, known)
        for concrete in {**everything, **own}.values():
            response = client.get(concrete)
            assert response.status_code < 500, (role, concrete)
            read += response.status_code == 200
            bad += checked(response, f"{role} GET {concrete}")
    assert read > 60 and not bad, bad


def test_stored_moments_read_back_in_utc_whatever_zone_they_were_written_in(app):
    """A device in summer time sends +01:00; the database keeps, and the API gives, the UTC moment."""
    from zoneinfo import ZoneInfo

    summer = datetime(2026, 7, 1, 9, 30, tzinfo=ZoneInfo("Europe/London"))
    with app.app_context():
        event = AuditEvent(action="test", resource="moment", at=summer)
        db.session.add(event)
        db.session.commit()
        db.session.expire_all()
        stored = db.session.get(AuditEvent, event.id).at
    assert stored == summer and stored.tzinfo == UTC and stored.hour == 8
    assert date.fromisoformat("2026-07-01") == stored.date()
