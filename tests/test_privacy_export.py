"""Subject access (issue 15, point 1): the export ZIP of a demo pupil holds every record about
them and no other pupil's name; safeguarding content needs a DSL's deliberate flag."""

import io
import json
import zipfile

import pytest
from sqlalchemy import func, select

from server.demo.school import DFE_NUMBER, PASSWORD
from server.extensions import db
from server.models import AuditEvent, Entry, EntryPupil, Pupil, School, Staff
from tests.support import ApiClient
from tests.test_errors import assert_envelope


@pytest.fixture
def demo(app, runner):
    assert runner.invoke(args=["demo"]).exit_code == 0


def senco_client(app) -> ApiClient:
    client = ApiClient(app.test_client())
    client.login("senco@meadowbank.demo", PASSWORD)
    return client


def busiest_pupil(app) -> Pupil:
    with app.app_context():
        school = db.session.scalar(select(School).where(School.dfe_number == DFE_NUMBER))
        pupil_id = db.session.scalar(
            select(EntryPupil.pupil_id)
            .join(Entry, Entry.id == EntryPupil.entry_pk)
            .where(Entry.school_id == school.id, Entry.is_head.is_(True))
            .group_by(EntryPupil.pupil_id)
            .order_by(func.count().desc(), EntryPupil.pupil_id)
            .limit(1)
        )
        return db.session.get(Pupil, pupil_id)


def unzip(response) -> zipfile.ZipFile:
    assert response.status_code == 200, response.get_json()
    assert response.mimetype == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.data))


def test_a_demo_pupils_export_holds_every_record_and_no_other_pupils_name(app, demo):
    pupil = busiest_pupil(app)
    archive = unzip(senco_client(app).get(f"/api/v1/pupils/{pupil.id}/export"))
    names = set(archive.namelist())
    assert {"summary.html", "data.json"} <= names
    data = json.loads(archive.read("data.json"))
    html = archive.read("summary.html").decode()
    with app.app_context():
        expected = set(
            db.session.scalars(
                select(Entry.entry_id)
                .join(EntryPupil, EntryPupil.entry_pk == Entry.id)
                .where(
                    EntryPupil.pupil_id == pupil.id,
                    Entry.is_head.is_(True),
                    Entry.deleted.is_(False),
                )
            )
        )
        others = db.session.execute(
            select(Pupil.forename, Pupil.surname).where(
                Pupil.school_id == pupil.school_id, Pupil.id != pupil.id
            )
        ).all()
    assert expected and {r["entry_id"] for r in data["records"]} == expected
    assert data["pupil"]["upn"] == pupil.upn and pupil.surname in html
    text = html + archive.read("data.json").decode()
    leaked = [f"{f} {s}" for f, s in others if f"{f} {s}" in text]
    assert not leaked, leaked[:5]
    # Group records keep only this pupil's rows.
    for record in data["records"]:
        for row in record["details"].get("attendance", []):
            assert row["pupil_id"] == pupil.id
    assert "<script" not in html
    for sha in data["attachments"]:
        assert any(n.startswith("photos/") and sha in n for n in names)


def test_the_export_is_audited_and_concerns_need_a_dsl(app, demo):
    pupil = busiest_pupil(app)
    client = senco_client(app)
    client.get(f"/api/v1/pupils/{pupil.id}/export")
    with app.app_context():
        row = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export"))
        assert row.resource_id == str(pupil.id) and "records" in row.detail
        senco = db.session.scalar(select(Staff).where(Staff.email == "senco@meadowbank.demo"))
        is_dsl = senco.is_dsl
    with_concerns = client.get(f"/api/v1/pupils/{pupil.id}/export?include_concerns=true")
    if is_dsl:
        assert json.loads(unzip(with_concerns).read("data.json"))["concerns"] is not None
    else:
        assert_envelope(with_concerns, 403)


def test_export_refuses_roles_other_schools_and_bad_input(api, world):
    pupil = world["home"]["pupils"][0]
    for role in ("admin", "teacher", "ta", "viewer"):
        assert_envelope(api(role).get(f"/api/v1/pupils/{pupil}/export"), 403)
    senco = api("senco")
    assert_envelope(senco.get(f"/api/v1/pupils/{world['other']['pupils'][0]}/export"), 404)
    bad = senco.get(f"/api/v1/pupils/{pupil}/export?include_concerns=perhaps&x=1")
    assert set(assert_envelope(bad, 422)["errors"]) == {"include_concerns", "x"}
    # The test world's SENCO is a DSL; a SENCO who is not cannot add concerns.
    with_concerns = senco.get(f"/api/v1/pupils/{pupil}/export?include_concerns=true")
    assert with_concerns.status_code == 200


def test_flask_pupil_export_writes_the_same_zip(app, world, runner, tmp_path):
    out = tmp_path / "sar.zip"
    result = runner.invoke(
        args=[
            "pupil",
            "export",
            "--upn",
            world["home"]["upns"][0],
            "--school",
            "8202001",
            "--out",
            str(out),
        ]
    )
    assert result.exit_code == 0, result.output
    assert {"summary.html", "data.json"} <= set(zipfile.ZipFile(out).namelist())
    missing = runner.invoke(args=["pupil", "export", "--upn", "A000000000000"])
    assert missing.exit_code != 0 and "No pupil" in missing.output
