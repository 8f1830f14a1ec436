"""Who owns which SEN field (DESIGN §7): a SENCO's change in the app survives a roster that
disagrees, shows in the run log and the review prompts, and clears when the MIS sends the same
value back; both values stay in the history; a field the MIS still owns follows the MIS."""

import re

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import MisRun, Pupil, SenFieldChange, SenFieldOwner
from tests.mis_support import set_source
from tests.test_roster_import import UPNS, ctf, kid

HOME = "8202001"
DAY = re.compile(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2} \d{4}")
SUPPORT = [("K", "2025-09-03")]


@pytest.fixture
def drop(app, world, tmp_path):
    app.config.update(MIS_EXPORT_DIR=str(tmp_path / "exports"))
    path = tmp_path / "roster.xml"
    set_source(app, HOME, "file", str(path))
    return path


def nightly(runner, drop, *pupils) -> MisRun:
    drop.write_bytes(ctf(*pupils))
    result = runner.invoke(args=["mis", "nightly", "--school", HOME])
    assert result.exit_code == 0, result.output
    with runner.app.app_context():
        run = db.session.scalars(select(MisRun).order_by(MisRun.id.desc())).first()
        db.session.expunge(run)
        return run


def record(app) -> dict:
    with app.app_context():
        pupil = db.session.scalar(select(Pupil).where(Pupil.upn == UPNS[0]))
        owners = db.session.scalars(
            select(SenFieldOwner).where(SenFieldOwner.pupil_id == pupil.id)
        ).all()
        changes = db.session.scalars(
            select(SenFieldChange)
            .where(SenFieldChange.pupil_id == pupil.id)
            .order_by(SenFieldChange.id)
        ).all()
        return {
            "id": pupil.id,
            "code": pupil.sen_provision,
            "needs": [n.need_type for n in pupil.needs],
            "owners": {o.field: (o.owner, o.mis_value) for o in owners},
            "changes": [(c.field, c.source, c.value, c.applied) for c in changes],
        }


def prompts(api, role="senco") -> list[dict]:
    due = api(role).get("/api/v1/reviews/due").get_json()
    return [p for p in due if p["kind"] == "sen_differs_from_mis"]


def senco_changes_to_an_ehc_plan(api, pupil_id: int) -> None:
    response = api("senco").patch(
        f"/api/v1/pupils/{pupil_id}",
        json={
            "sen_history": [
                {"code": "K", "start_date": "2025-09-03", "end_date": "2026-01-05"},
                {"code": "E", "start_date": "2026-01-05"},
            ],
            "needs": [{"need_type": "SLCN", "rank": 1}, {"need_type": "ASD", "rank": 2}],
        },
    )
    assert response.status_code == 200, response.get_json()


def test_a_senco_edit_survives_the_roster_and_clears_when_the_mis_agrees(
    app, api, runner, drop, world
):
    nightly(runner, drop, kid(0, sen=SUPPORT, needs=[("SLCN", 1)]))
    start = record(app)
    assert start["owners"] == {"sen_provision": ("mis", "K"), "needs": ("mis", ["SLCN"])}
    senco_changes_to_an_ehc_plan(api, start["id"])
    assert record(app)["owners"]["sen_provision"] == ("app", "K")

    run = nightly(runner, drop, kid(0, sen=SUPPORT, needs=[("SLCN", 1)]))
    kept = record(app)
    assert (kept["code"], kept["needs"]) == ("E", ["SLCN", "ASD"])
    assert run.status == "ok" and "2 SEN fields differ from the MIS" in run.summary
    needs, status = run.differences  # by pupil, then field
    assert {k: status[k] for k in ("field", "field_words", "app_value", "mis_value")} == {
        "field": "sen_provision",
        "field_words": "SEN status",
        "app_value": "E",
        "mis_value": "K",
    }
    assert status["app_value_words"] == "EHC plan (E)"
    assert status["mis_value_words"] == "SEN support (K)"
    assert status["pupil_name"] == "Kid0 Roster" and status["changed_in_app_at"]
    assert needs["app_value"] == "SLCN, ASD" and needs["mis_value"] == "SLCN"
    assert needs["app_value_words"].startswith("Speech, language and communication needs (SLCN)")

    raised = prompts(api)
    assert sorted(p["title"] for p in raised) == [
        "SEN needs differ from the MIS",
        "SEN status differs from the MIS",
    ]
    detail = next(p["detail"] for p in raised if p["title"].startswith("SEN status"))
    assert "the app has EHC plan (E)" in detail and "the MIS still has SEN support (K)" in detail
    assert DAY.search(detail) and not re.search(r"\d{4}-\d{2}-\d{2}", detail)
    assert prompts(api, "teacher") == []
    listed = api("senco").get("/api/v1/mis/runs").get_json()["items"][0]["differences"]
    assert [d["field"] for d in listed] == ["needs", "sen_provision"]

    agreed = nightly(
        runner,
        drop,
        kid(0, sen=[("K", "2025-09-03")], needs=[("SLCN", 1), ("ASD", 2)]),
    )
    assert [d["field"] for d in agreed.differences] == ["sen_provision"]
    assert record(app)["owners"]["needs"] == ("mis", ["SLCN", "ASD"])

    both = nightly(
        runner,
        drop,
        kid(0, sen=[("E", "2026-01-05")], needs=[("SLCN", 1), ("ASD", 2)]),
    )
    assert both.differences == [] and "differ" not in both.summary
    assert prompts(api) == []
    done = record(app)
    assert done["owners"] == {"sen_provision": ("mis", "E"), "needs": ("mis", ["SLCN", "ASD"])}
    assert ("sen_provision", "app", "E", True) in done["changes"]
    assert ("sen_provision", "mis", "K", True) in done["changes"]  # the MIS's value, kept
    assert done["changes"][-1] == ("sen_provision", "mis", "E", True)  # handed back


def test_what_the_mis_says_meanwhile_is_kept_unapplied(app, api, runner, drop):
    nightly(runner, drop, kid(0, sen=SUPPORT, needs=[("SLCN", 1)]))
    senco_changes_to_an_ehc_plan(api, record(app)["id"])
    nightly(runner, drop, kid(0))  # the MIS now says no SEN at all
    kept = record(app)
    assert kept["code"] == "E" and kept["owners"]["sen_provision"] == ("app", "N")
    assert ("sen_provision", "mis", "N", False) in kept["changes"]
    assert ("needs", "mis", [], False) in kept["changes"]
    nightly(runner, drop, kid(0))  # said again: nothing new to keep
    assert record(app)["changes"] == kept["changes"]


def test_a_field_the_mis_owns_follows_the_mis(app, runner, drop):
    nightly(runner, drop, kid(0, sen=SUPPORT, needs=[("SLCN", 1)]))
    nightly(runner, drop, kid(0, sen=[("E", "2026-02-02")], needs=[("ASD", 1)]))
    now = record(app)
    assert (now["code"], now["needs"]) == ("E", ["ASD"])
    assert now["owners"] == {"sen_provision": ("mis", "E"), "needs": ("mis", ["ASD"])}


def test_a_change_of_needs_alone_claims_only_the_needs(app, api, runner, drop):
    nightly(runner, drop, kid(0, sen=SUPPORT, needs=[("SLCN", 1)]))
    pupil_id = record(app)["id"]
    response = api("senco").patch(
        f"/api/v1/pupils/{pupil_id}", json={"needs": [{"need_type": "SEMH", "rank": 1}]}
    )
    assert response.status_code == 200, response.get_json()
    nightly(runner, drop, kid(0, sen=[("E", "2026-02-02")], needs=[("SLCN", 1)]))
    now = record(app)
    assert (now["code"], now["needs"]) == ("E", ["SEMH"])
    assert now["owners"]["needs"] == ("app", ["SLCN"])
    assert now["owners"]["sen_provision"] == ("mis", "E")


def test_an_unchanged_save_claims_nothing(app, api, runner, drop):
    nightly(runner, drop, kid(0, sen=SUPPORT, needs=[("SLCN", 1)]))
    pupil_id = record(app)["id"]
    same = api("senco").patch(
        f"/api/v1/pupils/{pupil_id}",
        json={"needs": [{"need_type": "SLCN", "rank": 1}], "eal": True},
    )
    assert same.status_code == 200
    assert record(app)["owners"]["needs"] == ("mis", ["SLCN"])


def test_every_row_the_nightly_path_adds_has_its_audit_event(app, api, runner, drop):
    from tests.test_audit_coverage import _created_events, _rows

    rows, created = _rows(app), _created_events(app)
    nightly(runner, drop, kid(0, sen=SUPPORT, needs=[("SLCN", 1)]), kid(1))
    senco_changes_to_an_ehc_plan(api, record(app)["id"])
    nightly(runner, drop, kid(0), kid(1))
    grown = {name: n - rows[name] for name, n in _rows(app).items() if n > rows[name]}
    assert {"mis_runs", "sen_field_owners", "sen_field_changes", "pupils"} <= set(grown)
    events = _created_events(app)
    missing = {
        name: added
        for name, added in grown.items()
        if events.get(name, 0) - created.get(name, 0) < added
    }
    assert not missing, f"rows added without audit events: {missing}"
