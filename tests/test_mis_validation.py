"""What the nightly run tells the SENCO about the roster's rows: every problem listed without
stopping the run, legacy codes named with their replacements, and repeated UPNs."""

import pytest
from sqlalchemy import func, select

from server.extensions import db
from server.models import MisRun, Pupil
from tests.mis_support import set_source
from tests.test_roster_import import UPNS, ctf, kid

HOME = "8202001"


@pytest.fixture
def drop(app, world, tmp_path):
    app.config.update(MIS_EXPORT_DIR=str(tmp_path / "exports"))
    path = tmp_path / "roster.xml"
    set_source(app, HOME, "file", str(path))
    return path


def nightly(app, runner, drop, *pupils) -> tuple[int, MisRun]:
    drop.write_bytes(ctf(*pupils))
    result = runner.invoke(args=["mis", "nightly", "--school", HOME])
    with app.app_context():
        run = db.session.scalars(select(MisRun).order_by(MisRun.id.desc())).first()
        db.session.expunge(run)
    return result.exit_code, run


def pupils_named(app, upn: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Pupil).where(Pupil.upn == upn))


def test_identical_rows_for_one_upn_import_once_with_a_note(app, runner, drop):
    code, run = nightly(app, runner, drop, kid(0), kid(1), kid(0))
    assert code == 0 and run.status == "ok"
    assert run.counts["created"] == 2 and pupils_named(app, UPNS[0]) == 1
    assert run.notes == [
        {
            "row": 3,
            "upn": UPNS[0],
            "note": f"UPN {UPNS[0]} is on rows 1, 3 with the same details; it was imported "
            "once, from row 1.",
        }
    ]


def test_differing_rows_for_one_upn_are_all_refused(app, runner, drop):
    code, run = nightly(app, runner, drop, kid(0), kid(0, surname="Other"), kid(1))
    assert code == 2 and run.status == "partial"
    assert [r["row"] for r in run.rejected] == [1, 2]
    assert "with different details" in run.rejected[0]["reason"]
    assert pupils_named(app, UPNS[0]) == 0


def test_identical_copies_of_a_refused_row_are_refused_with_it(app, runner, drop):
    bad = kid(0, dob="2016-02-30")
    code, run = nightly(app, runner, drop, bad, bad, kid(1))
    assert code == 2 and [r["row"] for r in run.rejected] == [1, 2]
    assert run.rejected[1]["reason"] == "The same details as row 1, which was refused (see row 1)."


def test_legacy_codes_are_named_with_what_replaced_them(app, runner, drop):
    code, run = nightly(
        app,
        runner,
        drop,
        kid(0, sen=[("S", "2014-09-01")], needs=[("ASD", 1)]),
        kid(1, sen=[("K", "2025-09-01")], needs=[("BESD", 1)]),
        kid(2, sen=[("P", "2013-09-01")], needs=[("MLD", 1)]),
    )
    assert code == 2
    assert [n["note"] for n in run.notes] == [
        "SEN provision code S (a statement) is no longer used; it was read as E (EHC plan). "
        "Update it in the MIS.",
        "SEN provision code P (School Action Plus) is no longer used; it was read as K "
        "(SEN support). Update it in the MIS.",
    ]
    [besd] = run.rejected
    assert besd["upn"] == UPNS[1]
    assert "Need type BESD is no longer a census code" in besd["reason"]
    assert "replaced by SEMH (social, emotional and mental health)" in besd["reason"]


def test_every_problem_is_listed_and_the_rest_applied(app, runner, drop):
    code, run = nightly(
        app,
        runner,
        drop,
        kid(0, upn="Q207000016049"),
        kid(1, sen=[("K", "2025-09-01")]),
        kid(2, sen=[("K", "2025-09-01"), ("E", "2025-10-01")], needs=[("ASD", 1)]),
        kid(3),
    )
    assert code == 2 and run.counts["created"] == 1 and run.counts["rejected"] == 3
    reasons = {r["upn"]: r["reason"] for r in run.rejected}
    assert "check letter does not match" in reasons["Q207000016049"]
    assert "needs a primary need" in reasons[UPNS[1]]
    assert "Only one SEN provision may be open" in reasons[UPNS[2]]
    assert "3 refused" in run.summary
