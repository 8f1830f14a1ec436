"""`flask pupil export` (subject access) and `flask retention run|hold|lift`.

Registered by server/cli.py. The work is in sync/pupil_export.py and sync/retention.py; the
schedule is deploy/systemd/send-retention.timer (weekly) and the compose housekeeping service.
"""

from datetime import date

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from server import pupil_zip
from server.extensions import db
from server.models import LegalHold, Pupil, School, audit
from sync import retention

pupil_cli = AppGroup("pupil", help="A pupil's data rights: subject access.")
retention_cli = AppGroup("retention", help="Purge leavers' records when their period has run.")


def _school(dfe_number: str | None) -> School | None:
    if not dfe_number:
        return None
    school = db.session.scalar(select(School).where(School.dfe_number == dfe_number))
    if school is None:
        raise click.ClickException(f"No school with DfE number {dfe_number}.")
    return school


def _pupil(upn: str, dfe_number: str | None) -> Pupil:
    school = _school(dfe_number)
    query = select(Pupil).where(Pupil.upn == upn.strip().upper())
    if school:
        query = query.where(Pupil.school_id == school.id)
    found = db.session.scalars(query).all()
    if not found:
        raise click.ClickException(f"No pupil with UPN {upn}.")
    if len(found) > 1:
        raise click.ClickException("That UPN is in more than one school: give --school.")
    return found[0]


@pupil_cli.command("export")
@click.option("--upn", required=True, help="The pupil's unique pupil number.")
@click.option("--school", "dfe_number", help="DfE number, if the UPN is in several schools.")
@click.option("--out", "out", type=click.Path(dir_okay=False), help="Default: pupil-UPN-DATE.zip")
@click.option("--include-concerns", is_flag=True, help="Add safeguarding concerns (DSLs only).")
def export_command(upn, dfe_number, out, include_concerns):
    """Everything held about one pupil as a ZIP, as GET /api/v1/pupils/<id>/export gives."""
    pupil = _pupil(upn, dfe_number)
    body, counts = pupil_zip.build(db.session, pupil, include_concerns)
    audit.record(
        db.session,
        "export",
        "pupils",
        pupil.id,
        school_id=pupil.school_id,
        detail={**counts, "by": "command line"},
    )
    db.session.commit()
    path = out or f"pupil-{pupil.upn}-{date.today().isoformat()}.zip"
    with open(path, "wb") as fh:
        fh.write(body)
    click.echo(f"Wrote {path}: {counts['records']} records, {counts['photos']} photos.")


@retention_cli.command("run")
@click.option("--dry-run", is_flag=True, help="List what would be purged; change nothing.")
@click.option("--school", "dfe_number", help="One school (DfE number); default: all.")
def run_command(dry_run, dfe_number):
    """Purge leavers whose retention period (RETENTION_YEARS_FROM_DOB) has run, unless on
    legal hold. Exits 1 if any pupil could not be purged (the rest are)."""
    years = current_app.config["RETENTION_YEARS_FROM_DOB"]
    school = _school(dfe_number)
    report = retention.run(
        db.session,
        date.today(),
        years,
        current_app.config["ATTACHMENTS_DIR"],
        dry_run=dry_run,
        school_id=school.id if school else None,
    )
    click.echo(f"Rule: {retention.rule(years)}.")
    for pupil_id, purge_on, counts in report.due:
        click.echo(f"Would purge pupil {pupil_id} (due {purge_on}): {counts['records']} records.")
    for pupil_id, detail in report.purged:
        click.echo(
            f"Purged pupil {pupil_id}: {detail['records']} records, {detail['attachments']} photos."
        )
    for pupil_id in report.held:
        click.echo(f"Kept pupil {pupil_id}: on legal hold.")
    for pupil_id, message in report.failed:
        click.echo(f"Could not purge pupil {pupil_id}: {message}", err=True)
    if report.files_finished:
        click.echo(f"Removed {report.files_finished} files an earlier run left behind.")
    if not (report.due or report.purged or report.held or report.failed):
        click.echo("Nothing is due.")
    if report.failed:
        raise SystemExit(1)


@retention_cli.command("hold")
@click.option("--upn", required=True)
@click.option("--school", "dfe_number")
@click.option("--reason", required=True, help="Why: a claim, an inquiry.")
def hold_command(upn, dfe_number, reason):
    """Put a pupil on legal hold: retention never purges them."""
    pupil = _pupil(upn, dfe_number)
    hold = db.session.get(LegalHold, pupil.id) or LegalHold(
        pupil_id=pupil.id, school_id=pupil.school_id
    )
    hold.reason = reason
    db.session.add(hold)
    db.session.commit()
    click.echo(f"Pupil {pupil.id} is on legal hold.")


@retention_cli.command("lift")
@click.option("--upn", required=True)
@click.option("--school", "dfe_number")
def lift_command(upn, dfe_number):
    """Lift a pupil's legal hold."""
    pupil = _pupil(upn, dfe_number)
    hold = db.session.get(LegalHold, pupil.id)
    if hold:
        db.session.delete(hold)
        db.session.commit()
    click.echo(f"Pupil {pupil.id} is not on legal hold.")
