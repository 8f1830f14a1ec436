"""`flask mis nightly` against a real HTTP server on 127.0.0.1 standing in for the MIS, and
against a file drop: each way a fetch can go wrong ends with the right exit code, a clear line
in the run log, and no partial export (the previous one left as it was)."""

import os

import pytest
from sqlalchemy import func, select

from server.extensions import db
from server.models import MisRun, Pupil
from tests.mis_support import FakeMis, Reply, set_source, start_fake_mis
from tests.test_roster_import import UPNS, ctf, kid

HOME = "8202001"


@pytest.fixture
def fast(app, tmp_path):
    """Short timeouts and backoff, so retries and timeouts take moments."""
    app.config.update(
        MIS_CONNECT_TIMEOUT=2,
        MIS_READ_TIMEOUT=0.5,
        MIS_RETRIES=2,
        MIS_BACKOFF=0.01,
        MIS_MAX_BYTES=200_000,
        MIS_EXPORT_DIR=str(tmp_path / "exports"),
    )
    return tmp_path / "exports" / HOME


@pytest.fixture
def mis():
    fake = FakeMis(
        replies=[Reply(body=ctf(kid(0, sen=[("K", "2025-09-03")], needs=[("SLCN", 1)]), kid(1)))]
    )
    server = start_fake_mis(fake)
    yield fake
    server.shutdown()
    server.server_close()


def nightly(runner, *args):
    return runner.invoke(args=["mis", "nightly", *args])


def runs(app) -> list[MisRun]:
    with app.app_context():
        found = db.session.scalars(select(MisRun).order_by(MisRun.id)).all()
        db.session.expunge_all()
        return found


def export_files(root) -> dict[str, bytes]:
    current = root / "current"
    if not current.exists():
        return {}
    return {name: (current / name).read_bytes() for name in sorted(os.listdir(current))}


def test_http_success_imports_exports_and_a_rerun_is_byte_identical(
    app, runner, world, fast, mis, monkeypatch
):
    set_source(app, HOME, "http", mis.url, auth_env="MIS_TEST_TOKEN")
    monkeypatch.setenv("MIS_TEST_TOKEN", "Bearer sesame")
    result = nightly(runner, "--school", HOME)
    assert result.exit_code == 0, result.output
    assert "ok: Read 2 pupils from the MIS (2 new" in result.stderr
    assert mis.requests[0][2]["Authorization"] == "Bearer sesame"
    first = export_files(fast)
    assert sorted(first) == [
        "8202001_CTF_8202001_001.xml",
        "manifest.json",
        "provision.csv",
        "pupil_voice.csv",
        "review_dates.csv",
        "sen_register.csv",
    ]
    assert b"<UPN>" + UPNS[0].encode() in first["8202001_CTF_8202001_001.xml"]
    [run] = runs(app)
    assert (run.status, run.trigger, run.source) == ("ok", "cli", "http")
    assert run.counts["pupils_in"] == 2 and run.counts["created"] == 2
    assert run.counts["files"] == 6 and run.counts["pupils_out"] == 2

    again = nightly(runner, "--school", HOME)
    assert again.exit_code == 0, again.output
    assert "already up to date" in again.stderr
    assert export_files(fast) == first
    assert os.listdir(fast / "exports") == [runs(app)[-1].export_name]


def test_a_500_then_success_is_retried(app, runner, world, fast, mis):
    good = mis.replies[0]
    mis.replies[:] = [Reply(status=500, body=b"busy"), good]
    set_source(app, HOME, "http", mis.url)
    result = nightly(runner, "--school", HOME)
    assert result.exit_code == 0, result.output
    assert [r[0] for r in mis.requests] == ["GET", "GET"]
    assert runs(app)[-1].status == "ok"


def _failed_run_keeps_the_export(app, runner, fast, mis, reply: Reply, words: str):
    set_source(app, HOME, "http", mis.url)
    assert nightly(runner, "--school", HOME).exit_code == 0
    before = export_files(fast)
    with app.app_context():
        pupils = db.session.scalar(select(func.count()).select_from(Pupil))
    mis.replies[:] = [reply]
    result = nightly(runner, "--school", HOME)
    assert result.exit_code == 1, result.output
    assert words in result.stderr
    assert "previous export was left as it was" in result.stderr
    run = runs(app)[-1]
    assert run.status == "failed" and words in run.summary and run.export_name is None
    assert export_files(fast) == before
    assert not [n for n in os.listdir(fast) if n.startswith(".")]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Pupil)) == pupils


def test_a_timeout_fails_cleanly(app, runner, world, fast, mis):
    slow = Reply(body=mis.replies[0].body, delay=1.5)
    _failed_run_keeps_the_export(app, runner, fast, mis, slow, "did not answer in time")


def test_a_truncated_body_fails_cleanly(app, runner, world, fast, mis):
    cut = Reply(body=mis.replies[0].body, cut=200)
    _failed_run_keeps_the_export(app, runner, fast, mis, cut, "was cut off before its end")


def test_a_401_fails_cleanly(app, runner, world, fast, mis):
    refused = Reply(status=401, body=b"no")
    _failed_run_keeps_the_export(app, runner, fast, mis, refused, "refused the credentials")


def test_a_body_over_the_size_limit_fails_cleanly(app, runner, world, fast, mis):
    huge = Reply(body=b"<CTfile>" + b" " * 300_000 + b"</CTfile>")
    _failed_run_keeps_the_export(app, runner, fast, mis, huge, "larger than the")


def test_a_damaged_ctf_fails_cleanly(app, runner, world, fast, mis):
    damaged = Reply(body=mis.replies[0].body[:-40], cut=None)
    _failed_run_keeps_the_export(app, runner, fast, mis, damaged, "not well-formed")


def test_refused_rows_finish_as_partial_with_exit_code_2(app, runner, world, fast, tmp_path):
    drop = tmp_path / "roster.xml"
    drop.write_bytes(ctf(kid(0), kid(1, upn="Q207000016049")))
    set_source(app, HOME, "file", str(drop))
    result = nightly(runner, "--school", HOME)
    assert result.exit_code == 2, result.output
    assert "refused row 2 (Q207000016049)" in result.stdout
    run = runs(app)[-1]
    assert run.status == "partial" and run.source == "file"
    assert run.rejected == [
        {
            "row": 2,
            "upn": "Q207000016049",
            "reason": "UPN 'Q207000016049' is not valid: its check letter does not match.",
        }
    ]
    assert "1 refused" in run.summary and export_files(fast)


def test_a_missing_file_drop_fails_with_a_plain_message(app, runner, world, fast, tmp_path):
    set_source(app, HOME, "file", str(tmp_path / "not-there.xml"))
    result = nightly(runner, "--school", HOME)
    assert result.exit_code == 1
    assert "There is no roster file at" in result.stderr and not export_files(fast)


def test_usage_and_unknown_schools(app, runner, world, fast):
    assert nightly(runner).exit_code == 2  # click's usage error
    assert "Give either --school DFE or --all-schools" in nightly(runner).output
    unknown = nightly(runner, "--school", "9999999")
    assert unknown.exit_code == 1 and "No school has DfE number 9999999" in unknown.output
    unset = nightly(runner, "--school", HOME)
    assert unset.exit_code == 1 and "not linked to its MIS yet" in unset.output


def test_all_schools_runs_each_configured_school(app, runner, world, fast, tmp_path):
    home, other = tmp_path / "home.xml", tmp_path / "other.xml"
    home.write_bytes(ctf(kid(0)))
    other.write_bytes(ctf(kid(1, upn="Q207000016049"), lea="821", estab="2002"))
    set_source(app, HOME, "file", str(home))
    set_source(app, "8212002", "file", str(other))
    result = nightly(runner, "--all-schools", "--scheduled")
    assert result.exit_code == 2, result.output  # the other school's refused row
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("Home") and ": ok: " in lines[0]
    assert lines[1].startswith("Other") and ": partial: " in lines[1]
    assert {r.trigger for r in runs(app)} == {"schedule"}


def test_configure_sets_a_source_and_refuses_plain_http_elsewhere(app, runner, world, tmp_path):
    from server.models import MisSource

    plain = ["mis", "configure", "--school", HOME, "--roster-url", "http://mis.example.org/r"]
    refused = runner.invoke(args=plain)
    assert refused.exit_code == 2 and "is not an https:// address" in refused.output
    both = runner.invoke(args=[*plain[:4], "--roster-file", "a.xml", "--roster-url", "https://x"])
    assert both.exit_code == 2 and "either --roster-file PATH or --roster-url URL" in both.output
    done = runner.invoke(
        args=[
            "mis",
            "configure",
            "--school",
            HOME,
            "--roster-url",
            "https://mis.example.org/roster",
            "--auth-env",
            "MIS_TOKEN_8202001",
            "--export-dir",
            str(tmp_path / "out"),
        ]
    )
    assert done.exit_code == 0, done.output
    with app.app_context():
        source = db.session.scalars(select(MisSource)).one()
        assert (source.roster_kind, source.auth_env) == ("http", "MIS_TOKEN_8202001")
        assert source.export_dir == str(tmp_path / "out")


def test_the_scheduler_wakes_at_the_london_time_through_the_clock_changes():
    from datetime import UTC, datetime

    from server.cli_mis_schedule import next_run

    summer = next_run(datetime(2026, 7, 1, 3, 0, tzinfo=UTC), "02:30")
    assert summer.isoformat() == "2026-07-02T02:30:00+01:00"
    winter = next_run(datetime(2026, 12, 2, 1, 0, tzinfo=UTC), "02:30")
    assert winter.isoformat() == "2026-12-02T02:30:00+00:00"
    change = next_run(datetime(2026, 10, 24, 12, 0, tzinfo=UTC), "02:30")
    assert change.isoformat() == "2026-10-25T02:30:00+00:00"  # the night the clocks go back


def test_the_export_is_posted_where_set_up_and_a_refusal_fails_the_run(
    app, runner, world, fast, mis
):
    import io
    import zipfile

    from server.models import AuditEvent

    set_source(app, HOME, "http", mis.url, export_url=mis.export_url)
    assert nightly(runner, "--school", HOME).exit_code == 0
    posted = [r for r in mis.requests if r[0] == "POST"]
    assert [(r[1], r[2]["Content-Type"]) for r in posted] == [("/sen-export", "application/zip")]
    names = zipfile.ZipFile(io.BytesIO(posted[0][3])).namelist()
    assert names[-1] == "manifest.json" and len(names) == 6
    with app.app_context():
        [event] = db.session.scalars(
            select(AuditEvent).where(AuditEvent.resource == "mis_export")
        ).all()
        assert (event.action, event.device_id, event.detail["posted"]) == ("export", "cli", True)

    roster = mis.replies[0]
    mis.replies[:] = [roster, Reply(status=503, body=b"down")]
    failed = nightly(runner, "--school", HOME)
    assert failed.exit_code == 1
    assert (
        "already up to date, but could not send it on: The MIS answered HTTP 503" in failed.stderr
    )
    assert runs(app)[-1].export_name and export_files(fast)
