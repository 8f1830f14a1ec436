"""The MIS exchange over HTTP for the SENCO and admin: the run log, a run started from the app
(200 when it finishes in the wait, 202 when not, 409 when one is going), the latest export as
a ZIP (audited), and identity left to the MIS once a school has one."""

import io
import time
import zipfile

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import AuditEvent, School
from sync.mis.lock import SchoolLock
from tests.mis_support import FakeMis, Reply, set_source, start_fake_mis
from tests.test_roster_import import ctf, kid

HOME, RUNS, LATEST = "8202001", "/api/v1/mis/runs", "/api/v1/mis/exports/latest"
RUN_KEYS = {
    "id",
    "started_at",
    "finished_at",
    "status",
    "trigger",
    "source",
    "summary",
    "counts",
    "rejected",
    "notes",
    "differences",
    "export_ready",
}


@pytest.fixture
def drop(app, world, tmp_path):
    """The home school's MIS drops a roster file; exports go to the test's folder."""
    app.config.update(MIS_EXPORT_DIR=str(tmp_path / "exports"), MIS_APP_WAIT_SECONDS=20)
    path = tmp_path / "roster.xml"
    path.write_bytes(ctf(kid(0, sen=[("K", "2025-09-03")], needs=[("SLCN", 1)]), kid(1)))
    set_source(app, HOME, "file", str(path))
    return path


def test_a_run_from_the_app_is_listed_newest_first_with_its_export(app, api, drop):
    senco = api("senco")
    assert senco.get(RUNS).get_json() == {"items": []}
    assert senco.get(LATEST).status_code == 404
    started = senco.post(RUNS)
    assert started.status_code == 200, started.get_json()
    run = started.get_json()
    assert set(run) == RUN_KEYS
    assert (run["status"], run["trigger"], run["source"]) == ("ok", "app", "file")
    assert run["counts"] == {
        "pupils_in": 2,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "left": 5,
        "rejected": 0,
        "pupils_out": 2,
        "files": 6,
    }
    assert run["export_ready"] is True and run["started_at"].endswith("+00:00")
    assert run["summary"].startswith("Read 2 pupils from the MIS (2 new, 0 updated, 5 marked")
    second = api("admin").post(RUNS).get_json()
    listed = senco.get(f"{RUNS}?limit=1").get_json()["items"]
    assert [r["id"] for r in listed] == [second["id"]]
    assert len(senco.get(RUNS).get_json()["items"]) == 2


def test_the_latest_export_downloads_as_the_same_zip_each_time_and_is_audited(app, api, drop):
    senco = api("senco")
    assert senco.post(RUNS).status_code == 200
    first, second = senco.get(LATEST), senco.get(LATEST)
    assert first.status_code == 200 and first.mimetype == "application/zip"
    assert "sen-export-8202001-" in first.headers["Content-Disposition"]
    assert first.data == second.data
    names = zipfile.ZipFile(io.BytesIO(first.data)).namelist()
    assert names[-1] == "manifest.json" and "8202001_CTF_8202001_001.xml" in names
    with app.app_context():
        exports = db.session.scalars(
            select(AuditEvent).where(AuditEvent.resource == "mis_export")
        ).all()
        written, *downloads = [(e.action, sorted(e.detail)) for e in exports]
        assert written == ("export", ["posted", "pupils", "written"])  # the run's own export
        assert downloads == [("export", ["bytes"])] * 2
    assert api("senco", school="other").get(LATEST).status_code == 404


def test_a_second_run_while_one_is_going_is_a_409(app, api, drop):
    with app.app_context():
        school = db.session.scalar(select(School).where(School.dfe_number == HOME))
        lock = SchoolLock(db.engine, school.id).acquire()
    try:
        response = api("senco").post(RUNS)
    finally:
        lock.release()
    assert response.status_code == 409
    assert "already going" in response.get_json()["message"]
    assert api("senco").get(RUNS).get_json() == {"items": []}


def test_a_slow_run_answers_202_and_finishes_in_the_log(app, api, world, tmp_path):
    fake = FakeMis(replies=[Reply(body=ctf(kid(0)), delay=1.0)])
    server = start_fake_mis(fake)
    app.config.update(MIS_EXPORT_DIR=str(tmp_path / "exports"), MIS_APP_WAIT_SECONDS=0.05)
    set_source(app, HOME, "http", fake.url)
    try:
        senco = api("senco")
        started = senco.post(RUNS)
        assert started.status_code == 202
        assert started.get_json()["status"] == "running"
        assert senco.post(RUNS).status_code == 409
        for _ in range(100):
            [run] = senco.get(RUNS).get_json()["items"]
            if run["status"] != "running":
                break
            time.sleep(0.1)
        assert run["status"] == "ok" and run["finished_at"]
    finally:
        server.shutdown()
        server.server_close()


def test_another_schools_runs_are_not_listed(app, api, drop):
    assert api("senco").post(RUNS).status_code == 200
    assert api("admin", school="other").get(RUNS).get_json() == {"items": []}
    assert api("senco", school="other").post(RUNS).status_code == 409  # no MIS source there


def test_limit_is_checked(api, drop):
    for bad in ("0", "101", "x", "1.5"):
        response = api("senco").get(f"{RUNS}?limit={bad}")
        assert response.status_code == 422 and "limit" in response.get_json()["errors"]
    assert api("senco").get(f"{RUNS}?limit=3&extra=1").status_code == 422


def test_identity_comes_only_from_the_mis_once_a_school_has_one(app, api, world, drop):
    senco, pupil = api("senco"), world["home"]["pupils"][1]
    response = senco.patch(f"/api/v1/pupils/{pupil}", json={"surname": "Changed", "eal": True})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {
        "surname": [
            "This comes from the MIS: change it there, and the nightly sync brings it here."
        ]
    }
    same = senco.get(f"/api/v1/pupils/{pupil}").get_json()["surname"]
    assert (
        senco.patch(f"/api/v1/pupils/{pupil}", json={"surname": same, "eal": True}).status_code
        == 200
    )
    new = {
        "upn": "P207000016049",
        "forename": "New",
        "surname": "Starter",
        "dob": "2017-03-01",
        "gender": "F",
        "year_group": "4",
    }
    refused = senco.post("/api/v1/pupils/", json=new)
    assert refused.status_code == 422 and "MIS roster" in refused.get_json()["errors"]["_schema"][0]
    assert api("senco", school="other").post("/api/v1/pupils/", json=new).status_code == 201


def test_the_endpoints_are_in_the_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    runs = spec["paths"]["/api/v1/mis/runs"]
    assert {"get", "post"} <= set(runs)
    assert {"200", "202", "409"} <= set(runs["post"]["responses"])
    latest = spec["paths"]["/api/v1/mis/exports/latest"]["get"]["responses"]
    assert "application/zip" in latest["200"]["content"] and "404" in latest
    run = spec["components"]["schemas"]["MisRun"]["properties"]
    assert RUN_KEYS <= set(run)
