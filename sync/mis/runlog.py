"""The run log a SENCO reads: each run's counts, refused rows, notes and differences, and one
plain sentence saying what happened."""

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from server.models import MisRun
from server.models.base import utcnow
from sync.mis.words import plural

EXIT_CODES = {"ok": 0, "partial": 2, "failed": 1}
STOPPED = (
    "This run stopped before it finished (its server or process ended); nothing it had not "
    "finished was kept, and the previous export was left as it was."
)
KEPT = "Nothing was changed and the previous export was left as it was."


def close_stuck_runs(session: Session, school_id: int) -> None:
    """Runs still marked running when a new run holds the school's lock were killed."""
    stuck = select(MisRun.id).where(MisRun.school_id == school_id, MisRun.status == "running")
    for run in session.scalars(select(MisRun).where(MisRun.id.in_(stuck))):
        run.status, run.finished_at, run.summary = "failed", utcnow(), STOPPED


def counts(report: dict, pupils_out: int, files: int) -> dict:
    done = report["counts"]
    return {
        "pupils_in": done["rows"],
        "created": done["created"],
        "updated": done["updated"] + done["rejoined"],
        "unchanged": done["unchanged"],
        "left": done["left"],
        "rejected": done["rejected"],
        "pupils_out": pupils_out,
        "files": files,
    }


def rejected_rows(report: dict) -> list[dict]:
    return [
        {"row": r["row"], "upn": r["upn"], "reason": " ".join(r["errors"])}
        for r in report["rejected"]
    ]


def summary(numbers: dict, new_export: bool, differences: int) -> str:
    read = (
        f"Read {plural(numbers['pupils_in'], 'pupil')} from the MIS "
        f"({numbers['created']:,} new, {numbers['updated']:,} updated, "
        f"{numbers['left']:,} marked as leavers, {numbers['rejected']:,} refused)"
    )
    wrote = (
        f"wrote the SEN export for {plural(numbers['pupils_out'], 'pupil')}"
        if new_export
        else f"found the SEN export for {plural(numbers['pupils_out'], 'pupil')} already up to date"
    )
    sentence = f"{read} and {wrote}"
    if differences:
        sentence += (
            f"; {plural(differences, 'SEN field differs', 'SEN fields differ')} from the MIS"
        )
    return sentence + "."


def finish(session: Session, run: MisRun, status: str, text: str, **fields) -> MisRun:
    run.status, run.summary, run.finished_at = status, text, utcnow()
    for name, value in fields.items():
        setattr(run, name, value)
    session.commit()
    return run


def fail_quietly(session: Session, run_id: int, text: str) -> None:
    """Record a failure even when the session is in a bad state: a plain UPDATE of one row."""
    session.rollback()
    session.execute(
        update(MisRun)
        .where(MisRun.id == run_id)
        .values(status="failed", summary=text, finished_at=utcnow())
    )
    session.commit()
