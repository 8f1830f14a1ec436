"""One run per school at a time, and a killed run harms nothing: real `flask` subprocesses
against the test database, two at once for one school, and one killed with SIGKILL in the
middle of writing its export."""

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from schemas.sen import today_in_london
from server.extensions import db
from server.models import MisLock, MisRun, School
from sync.mis.export import build_files
from sync.mis.lock import Busy, SchoolLock
from sync.mis.nightly import run_school
from sync.mis.source import Settings
from tests.mis_support import FakeMis, Reply, set_source, start_fake_mis
from tests.test_roster_import import ctf, kid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HOME = "8202001"
PAUSE_IN_EXPORT = """
import os, sys, time
from sync.mis import export_files
real = export_files._write
def paused(folder, name, data):
    real(folder, name, data)
    if os.path.basename(folder).startswith(".staging-"):
        open(os.environ["PAUSED_FLAG"], "w").close()
        time.sleep(120)
export_files._write = paused
from flask.cli import main
sys.argv = ["flask", "mis", "nightly", "--school", "8202001"]
main()
"""


@pytest.fixture
def env(app, database_url, tmp_path):
    exports = tmp_path / "exports"
    app.config.update(MIS_EXPORT_DIR=str(exports))
    return {
        **os.environ,
        "FLASK_APP": "server",
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SECRET_KEY": "test-secret",
        "MIS_EXPORT_DIR": str(exports),
        "MIS_RETRIES": "0",
    }


def flask(env, *args, script=None) -> subprocess.Popen:
    command = [sys.executable, "-c", script] if script else [sys.executable, "-m", "flask", *args]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def runs(app) -> list[tuple]:
    with app.app_context():
        found = db.session.scalars(select(MisRun).order_by(MisRun.id)).all()
        return [(r.status, r.summary) for r in found]


def home_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(School.id).where(School.dfe_number == HOME))


def test_a_held_school_is_refused_and_a_dead_holder_taken_over(app, world, tmp_path):
    app.config.update(MIS_EXPORT_DIR=str(tmp_path / "exports"))
    drop = tmp_path / "roster.xml"
    drop.write_bytes(ctf(kid(0)))
    set_source(app, HOME, "file", str(drop))
    with app.app_context():
        school = db.session.get(School, home_id(app))
        held = SchoolLock(db.engine, school.id).acquire()
        settings = Settings.from_config(app.config)
        with pytest.raises(Busy):
            run_school(db.session, db.engine, school, "cli", settings)
        held.release()
        if db.engine.dialect.name == "sqlite":  # PostgreSQL drops a dead session's lock itself
            dead = subprocess.run(
                [sys.executable, "-c", "import os; print(os.getpid())"],
                capture_output=True,
                text=True,
            ).stdout.strip()
            holder = f"{os.uname().nodename}:{dead}:gone"
            db.session.add(
                MisLock(school_id=school.id, holder=holder, acquired_at=datetime.now(UTC))
            )
            db.session.commit()
        run = run_school(db.session, db.engine, school, "cli", settings)
        assert run.status == "ok"
        assert db.session.scalar(select(MisLock)) is None


@pytest.mark.slow
def test_two_runs_for_one_school_at_once_never_both_write(app, world, env):
    fake = FakeMis(replies=[Reply(body=ctf(kid(0), kid(1)), delay=6)])
    server = start_fake_mis(fake)
    set_source(app, HOME, "http", fake.url)
    try:
        first = flask(env, "mis", "nightly", "--school", HOME)
        second = flask(env, "mis", "nightly", "--school", HOME)
        outcomes = sorted((p.wait(timeout=120), p.communicate()[1]) for p in (first, second))
    finally:
        server.shutdown()
        server.server_close()
    assert [code for code, _ in outcomes] == [0, 0]
    said = " ".join(text for _, text in outcomes)
    assert said.count("skipped") == 1 and said.count(": ok: ") == 1, said
    assert len(fake.requests) == 1
    assert [status for status, _ in runs(app)] == ["ok"]


def _manifest_holds(folder) -> bool:
    manifest = json.loads((folder / "manifest.json").read_text())
    return all(
        hashlib.sha256((folder / f["name"]).read_bytes()).hexdigest() == f["sha256"]
        for f in manifest["files"]
    )


@pytest.mark.slow
def test_a_run_killed_midway_leaves_the_last_export_and_the_rerun_finishes(
    app, runner, world, env, tmp_path
):
    drop = tmp_path / "roster.xml"
    drop.write_bytes(ctf(kid(0)))
    set_source(app, HOME, "file", str(drop))
    assert runner.invoke(args=["mis", "nightly", "--school", HOME]).exit_code == 0
    school_dir = tmp_path / "exports" / HOME
    before = {p.name: p.read_bytes() for p in (school_dir / "current").iterdir()}

    drop.write_bytes(ctf(kid(0), kid(1, sen=[("K", "2025-09-03")], needs=[("MLD", 1)])))
    flag = tmp_path / "paused"
    killed = flask({**env, "PAUSED_FLAG": str(flag)}, script=PAUSE_IN_EXPORT)
    deadline = time.monotonic() + 60
    while not flag.exists():
        assert killed.poll() is None, killed.communicate()[1][-2000:]
        assert time.monotonic() < deadline, "the run never reached its export"
        time.sleep(0.05)
    killed.send_signal(signal.SIGKILL)
    killed.communicate(timeout=30)  # reaps it and closes its pipes

    assert {p.name: p.read_bytes() for p in (school_dir / "current").iterdir()} == before
    assert _manifest_holds(school_dir / "current")
    assert [n for n in os.listdir(school_dir) if n.startswith(".staging-")]
    assert runs(app)[-1][0] == "running"

    for _ in range(50):  # PostgreSQL notices the dead connection and drops its lock
        rerun = runner.invoke(args=["mis", "nightly", "--school", HOME])
        if "skipped" not in rerun.stderr:
            break
        time.sleep(0.1)
    assert rerun.exit_code == 0, rerun.output
    statuses = runs(app)
    assert [s for s, _ in statuses] == ["ok", "failed", "ok"]
    assert "stopped before it finished" in statuses[1][1]
    assert not [n for n in os.listdir(school_dir) if n.startswith(".")]
    with app.app_context():
        expected, _ = build_files(db.session, home_id(app), today_in_london())
    current = school_dir / "current"
    assert {name: (current / name).read_bytes() for name in expected} == expected
    assert _manifest_holds(current)
