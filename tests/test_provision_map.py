"""Done means: a term of running records pushed through the real sync API comes out of
GET /api/v1/provision-map as attendance, fidelity, cost and progress figures that match the
arithmetic worked by hand below."""

import csv
import io
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import AuditEvent
from tests.sync_support import add_test_templates, session_op, voice_op

AS_OF = "2026-11-11"  # a Wednesday in week 9 of the block
MONDAYS = [date(2026, 9, 7) + timedelta(weeks=w) for w in range(7)] + [
    date(2026, 11, 2),
    date(2026, 11, 9),
]  # half-term week (26 Oct) skipped


@pytest.fixture
def term(app, api, world):
    """The world's group, made a 3 x 30 min, 10-week block starting Monday 7 September (its
    pupils joining that day) with half-term between two Term rows, and a term of its running
    records pushed by the TA."""
    home, senco = world["home"], api("senco")
    with app.app_context():
        add_test_templates(home["school"])
    assert (
        senco.patch(
            f"/api/v1/terms/{home['spare']['term']}",
            json={"name": "Autumn 1", "starts_on": "2026-09-03", "ends_on": "2026-10-23"},
        ).status_code
        == 200
    )
    assert (
        senco.post(
            "/api/v1/terms/",
            json={"name": "Autumn 2", "starts_on": "2026-11-02", "ends_on": "2026-12-18"},
        ).status_code
        == 201
    )
    assert (
        senco.patch(
            f"/api/v1/groups/{home['group']}",
            json={"start_date": "2026-09-07", "resource_cost_pence": 2400},
        ).status_code
        == 200
    )
    pupil1, pupil4 = home["pupils"][0], home["pupils"][3]
    for enrolment, entry, exit_ in zip(home["enrolments"], (78, 80), (86, 83)):
        assert (
            senco.patch(
                f"/api/v1/enrolments/{enrolment}",
                json={
                    "entry_data": {"score": entry},
                    "exit_data": {"score": exit_},
                    "target": "Score 85+",
                    "joined_on": "2026-09-07",
                },
            ).status_code
            == 200
        )
    days = [
        monday + timedelta(days=d)
        for week, monday in enumerate(MONDAYS[:8], 1)
        for d in ((0, 2) if week in (3, 6) else (0, 2, 4))
    ] + [MONDAYS[8]]
    ops = []
    for n, day in enumerate(days):
        op = session_op(n + 1, home["group"], [pupil1, pupil4], day=day)
        marks = op["entry"]["core"]["attendance"]
        if n < 3:
            marks[0].update(status="absent", engagement=None)
        elif n < 5:
            marks[0]["status"] = "late"
        if 10 <= n < 15:
            marks[1].update(status="absent", engagement=None)
        ops.append(op)
    stray = session_op(len(ops) + 1, home["group"], [pupil1], day=date(2026, 9, 8))
    voice = voice_op(len(ops) + 2, pupil1)
    voice["entry"]["core"]["group_id"] = home["group"]
    ops += [stray, voice]
    ta = api("ta")
    results = _push(ta, ops)
    assert {r["status"] for r in results} == {"accepted"}
    last = ops[len(days) - 1]["entry"]
    fix = session_op(
        100, home["group"], [pupil1, pupil4], day=MONDAYS[8], entry_id=last["entry_id"], base_rev=1
    )
    fix["entry"]["core"].update(
        minutes_delivered=20, delivered_as_planned=False, changes_made="Assembly overran"
    )
    drop = session_op(
        101, home["group"], [pupil1], entry_id=stray["entry"]["entry_id"], base_rev=1, deleted=True
    )
    assert [r["status"] for r in _push(ta, [fix, drop])] == ["accepted", "accepted"]
    return home


def _push(client, ops):
    response = client.post("/api/v1/sync/push", json={"device_id": "tablet-map-01", "ops": ops})
    assert response.status_code == 200, response.get_json()
    return response.get_json()["results"]


def _row(client, group_id, query=""):
    response = client.get(f"/api/v1/provision-map?as_of={AS_OF}{query}")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    return body, next(r for r in body["groups"] if r["group_id"] == group_id)


def test_figures_match_the_hand_arithmetic(api, term):
    body, row = _row(api("senco"), term["group"])
    # Planned: weeks of 7 days from Mon 7 Sep; 7 weeks to 25 Oct, half-term week skipped (no
    # term overlaps 26 Oct-1 Nov), then 2 Nov week: 8 full weeks x 3 = 24. Week 9 (from 9 Nov)
    # has 3 days elapsed on Wed 11 Nov: floor(3 x 3 / 7) = 1. Planned = 25.
    assert row["sessions_planned"] == 25
    # Delivered: 8 weeks x 3 - 2 missed Fridays = 22, + Mon 9 Nov = 23 (the stray Tuesday
    # session was deleted). Fidelity 23 / 25 = 92.0 %. The corrected one was not as planned.
    assert (row["sessions_delivered"], row["sessions_as_planned"]) == (23, 22)
    assert row["fidelity_pct"] == 92.0
    # Minutes: 22 x 30 + 20 (the corrected session) = 680.
    assert row["minutes_delivered"] == 680
    pupils = {p["pupil_id"]: p for p in row["pupils"]}
    p1, p4 = pupils[term["pupils"][0]], pupils[term["pupils"][3]]
    # Pupil 1: absent 3, late 2, present 18 -> (18 + 2) / 23 = 86.96 -> 87.0 %; attended 20,
    # one of them the 20-minute session: 19 x 30 + 20 = 590 minutes.
    assert (p1["sessions_present"], p1["sessions_late"], p1["sessions_absent"]) == (18, 2, 3)
    assert (p1["attendance_pct"], p1["minutes_received"]) == (87.0, 590)
    # Pupil 4: absent 5 -> 18 / 23 = 78.26 -> 78.3 %; 17 x 30 + 20 = 530 minutes.
    assert (p4["attendance_pct"], p4["minutes_received"]) == (78.3, 530)
    # Group: (20 + 18) / 46 = 82.6 %.
    assert row["attendance_pct"] == 82.6
    # Cost: 680 min = 11.33 h x £15.00 x 1 staff (ratio 1:4) = £170.00, + £24.00 resources
    # = £194.00 = 19400p; per pupil 19400 / 2 = 9700p.
    assert (row["cost_pence"], row["cost_per_pupil_pence"]) == (19400, 9700)
    # Progress (a step is 5 standardised points): 78 -> 86 is 1 step, 80 -> 83 is 0.
    # 1/2 moved; cost per step 19400 / 1.
    assert (p1["steps_moved"], p4["steps_moved"]) == (1, 0)
    assert row["progress"]["summary"] == "1/2 moved ≥ 1 step"
    assert row["cost_per_step_pence"] == 19400
    assert (p1["entry"], p1["exit"], p1["target"]) == ("Score 78", "Score 86", "Score 85+")
    assert row["frequency"] == "3 × 30 min/week for 10 weeks, Home Ta (TA), ratio 1:4"
    # Voice: faces3 answer 3 of 3 -> 100.
    assert [(v["pupil_id"], v["score"]) for v in row["voice_trend"]] == [(term["pupils"][0], 100)]
    assert body["totals"]["cost_pence"] == 19400  # the spare group has cost nothing yet
    assert body["totals"]["sessions_delivered"] == 23


def test_each_role_sees_its_slice(api, term, world):
    _, teacher_row = _row(api("teacher"), term["group"])
    assert [p["pupil_id"] for p in teacher_row["pupils"]] == [term["pupils"][0]]  # Oak only
    _, ta_row = _row(api("ta"), term["group"])
    assert len(ta_row["pupils"]) == 2
    viewer_body, viewer_row = _row(api("viewer"), term["group"])
    assert viewer_body["aggregate_only"] and "pupils" not in viewer_row
    assert "voice_trend" not in viewer_row and viewer_row["fidelity_pct"] == 92.0
    assert "Homeson" not in str(viewer_body)
    other = api("senco", school="other").get("/api/v1/provision-map").get_json()
    assert term["group"] not in [r["group_id"] for r in other["groups"]]


def test_views_filter_the_rows(api, term, world):
    senco = api("senco")
    body, row = _row(senco, term["group"], f"&class_id={term['classes']['mine']}")
    assert [p["pupil_id"] for p in row["pupils"]] == [term["pupils"][0]]
    assert body["classroom"]["name"] == "Oak"
    funded = senco.get("/api/v1/provision-map?funding_source=pupil_premium").get_json()
    assert [r["group_id"] for r in funded["groups"]] == [term["spare"]["group"]]
    by_staff = senco.get(f"/api/v1/provision-map?staff_id={term['staff']['ta']['id']}").get_json()
    assert [r["group_id"] for r in by_staff["groups"]] == [term["group"]]
    other_class = world["other"]["classes"]["mine"]
    assert senco.get(f"/api/v1/provision-map?class_id={other_class}").status_code == 422


def test_csv_export_is_one_line_per_group_and_pupil_and_audited(app, api, term):
    response = api("senco").get(f"/api/v1/provision-map.csv?as_of={AS_OF}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    lines = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    mine = [line for line in lines if line["Group"] == "Talk Boost Y4"]
    assert sorted(line["Pupil"] for line in mine) == ["Pupil1 Homeson", "Pupil4 Homeson"]
    assert mine[0]["Cost (£)"] == "194.00" and mine[0]["Fidelity %"] == "92.0"
    assert api("viewer").get("/api/v1/provision-map?format=csv").status_code == 200
    with app.app_context():
        exports = db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "export", AuditEvent.resource == "provision_map"
            )
        ).all()
    assert len(exports) == 2
