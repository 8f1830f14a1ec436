"""The nightly MIS exchange for one school, and for every school (DESIGN §7-8).

One run: take the school's lock (sync/mis/lock.py), open its log, read the roster from the
school's source and apply it (sync/mis/roster.py, with the field ownership rules), write the
SEN export (sync/mis/export.py) and, where set up, POST it; then record how it went. A roster
that cannot be read stops the run before the export, so the previous export stays as it was.

Exit codes: 0 all good, 2 finished with refused rows (partial), 1 failed.
"""

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from schemas.sen import today_in_london
from server.models import MisRun, MisSource, School, audit
from server.models.base import utcnow
from sync.mis import RosterFileError, runlog
from sync.mis.differences import current_differences
from sync.mis.export import export_school
from sync.mis.export_files import folder, zip_bytes
from sync.mis.lock import Busy, SchoolLock
from sync.mis.roster import import_roster
from sync.mis.source import Settings, SourceError, auth_headers, deliver, fetch, read_file

log = logging.getLogger(__name__)
__all__ = ["Busy", "NotSetUp", "prepare", "carry_out", "run_school", "sweep", "export_root"]


class NotSetUp(Exception):
    """The school has no MIS source."""


@dataclass
class Job:
    run_id: int
    lock: SchoolLock


def export_root(source: MisSource, school: School, settings: Settings) -> str:
    return source.export_dir or os.path.join(settings.export_root, school.dfe_number)


def prepare(session: Session, engine: Engine, school: School, trigger: str, actor_id=None) -> Job:
    """Take the school's lock and open its run log, committed, so others see it running."""
    source = session.get(MisSource, school.id)
    if source is None:
        raise NotSetUp(
            f"{school.name} is not linked to its MIS yet, so there is nothing to run. The "
            "technician links it once with `flask mis configure` (README)."
        )
    lock = SchoolLock(engine, school.id).acquire()
    try:
        runlog.close_stuck_runs(session, school.id)
        run = MisRun(
            school_id=school.id,
            trigger=trigger,
            source=source.roster_kind,
            actor_id=actor_id,
            holder=lock.holder,
        )
        session.add(run)
        session.commit()
        return Job(run.id, lock)
    except BaseException:
        session.rollback()
        lock.release()
        raise


def _roster(source: MisSource, settings: Settings) -> tuple[str, bytes]:
    if source.roster_kind == "file":
        return read_file(source.roster_location, settings)
    headers = auth_headers(source.auth_header, source.auth_env)
    return fetch(source.roster_location, headers, settings)


def _deliver(source: MisSource, root: str, name: str, today: date, settings: Settings) -> None:
    if source.export_url:
        headers = auth_headers(source.auth_header, source.export_auth_env)
        deliver(source.export_url, headers, zip_bytes(folder(root, name), today), settings)


def _run(session: Session, run: MisRun, settings: Settings, today: date) -> MisRun:
    source = session.get(MisSource, run.school_id)
    school = session.get(School, run.school_id)
    try:
        filename, data = _roster(source, settings)
        report = import_roster(session, school.id, data, filename, full=True)
        session.commit()
    except (SourceError, RosterFileError) as problem:
        session.rollback()
        return runlog.finish(session, run, "failed", f"{problem} {runlog.KEPT}")
    root = export_root(source, school, settings)
    try:
        made = export_school(session, school.id, root, today, settings.exports_kept)
    except OSError as problem:
        text = f"The SEN export could not be written to {root} ({problem.strerror})."
        return runlog.finish(session, run, "failed", f"{text} The previous export was kept.")
    differences = current_differences(session, school.id)
    numbers = runlog.counts(report, made.pupils, made.files)
    text = runlog.summary(numbers, made.written.new, len(differences))
    status = "partial" if report["rejected"] else "ok"
    try:
        _deliver(source, root, made.written.name, today, settings)
    except SourceError as problem:
        status, text = "failed", f"{text[:-1]}, but could not send it on: {problem}"
    _audit_export(session, school.id, made, source.export_url and status != "failed")
    return runlog.finish(
        session,
        run,
        status,
        text,
        counts=numbers,
        rejected=runlog.rejected_rows(report),
        notes=report["notes"],
        differences=[
            {**d, "changed_in_app_at": d["changed_in_app_at"].isoformat()} for d in differences
        ],
        export_name=made.written.name,
    )


def _audit_export(session: Session, school_id: int, made, posted) -> None:
    """Every export is in the audit log (DESIGN §3): one written tonight, or one sent on."""
    if made.written.new or posted:
        detail = {"pupils": made.pupils, "written": made.written.new, "posted": bool(posted)}
        audit.record(session, "export", "mis_export", made.written.name, school_id, detail)


def carry_out(session: Session, job: Job, settings: Settings, today: date | None = None) -> MisRun:
    """Do a prepared run, record how it went, and let go of the school."""
    try:
        run = session.get(MisRun, job.run_id)
        return _run(session, run, settings, today or today_in_london())
    except Exception:
        log.exception("MIS run %s failed", job.run_id)
        runlog.fail_quietly(
            session,
            job.run_id,
            "The run failed on an unexpected error, which is in the server log. " + runlog.KEPT,
        )
        return session.get(MisRun, job.run_id)
    finally:
        job.lock.release()


def run_school(session, engine, school, trigger, settings, actor_id=None, today=None) -> MisRun:
    return carry_out(session, prepare(session, engine, school, trigger, actor_id), settings, today)


def sweep(session: Session, engine: Engine, settings: Settings, trigger: str, say: Callable) -> int:
    """Every school with an MIS source, one after another. Any number of servers may sweep at
    once: a school another server holds, or has run since this sweep began, is skipped, so
    the servers share the schools between them."""
    began, codes = utcnow(), []
    schools = session.scalars(
        select(School).join(MisSource, MisSource.school_id == School.id).order_by(School.id)
    ).all()
    for school_id, name in [(s.id, s.name) for s in schools]:
        session.close()
        school = session.get(School, school_id)
        done = select(MisRun.id).where(MisRun.school_id == school_id, MisRun.started_at >= began)
        if session.scalar(done.limit(1)) is not None:
            say(f"{name}: skipped, another server has run it during this sweep.")
            continue
        try:
            run = run_school(session, engine, school, trigger, settings)
        except Busy:
            say(f"{name}: skipped, a run for it is going elsewhere.")
            continue
        codes.append(runlog.EXIT_CODES[run.status])
        say(f"{name}: {run.status}: {run.summary}")
    return 1 if 1 in codes else 2 if 2 in codes else 0
