"""`flask mis ...`: the MIS exchange from the command line, for the technician and the scheduler.

`import FILE` applies one roster file; `nightly` runs the whole exchange (roster in, SEN data
out) for one school or all of them; `configure` sets where a school's roster comes from and its
export goes; `scheduler` (server/cli_mis_schedule.py) runs `nightly --all-schools` every night.
"""

import os

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from server.cli_mis_schedule import scheduler_command
from server.extensions import db
from server.models import MisSource, School
from sync.mis import RosterFileError
from sync.mis.nightly import Busy, NotSetUp, run_school, sweep
from sync.mis.roster import import_roster
from sync.mis.runlog import EXIT_CODES
from sync.mis.source import Settings, url_problem

mis_cli = AppGroup("mis", help="Exchange data with the school MIS.")
mis_cli.add_command(scheduler_command)


def _school(dfe_number: str) -> School:
    school = db.session.scalar(select(School).where(School.dfe_number == dfe_number))
    if school is None:
        raise click.ClickException(f"No school has DfE number {dfe_number}.")
    return school


def _summary(report: dict) -> str:
    counts = report["counts"]
    lines = [
        f"Roster import {report['status']}: {counts['rows']} rows read.",
        f"  created {counts['created']}, updated {counts['updated']}, "
        f"unchanged {counts['unchanged']}, rejoined {counts['rejoined']}",
        f"  marked as leavers {counts['left']}, classes created {counts['classes_created']}, "
        f"rejected {counts['rejected']}",
    ]
    for rejected in report["rejected"]:
        lines.append(f"  row {rejected['row']} ({rejected['upn'] or 'no UPN'}):")
        lines.extend(f"    - {error}" for error in rejected["errors"])
    for note in report.get("notes", []):
        lines.append(f"  note on row {note['row']} ({note['upn']}): {note['note']}")
    if report["status"] == "rejected":
        lines.append("Nothing was applied (--strict).")
    return "\n".join(lines)


@mis_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--school",
    "dfe_number",
    required=True,
    help="The school's DfE number (LA + establishment), e.g. 8201234.",
)
@click.option("--strict", is_flag=True, help="Apply nothing if any row is rejected.")
@click.option(
    "--partial",
    is_flag=True,
    help="The file is not the whole roll: do not mark absent pupils as leavers.",
)
def import_command(file, dfe_number, strict, partial):
    """Import a roster FILE (CTF .xml or CSV) into one school."""
    school = _school(dfe_number)
    db.session.info["actor"] = {"actor_id": None, "device_id": "cli"}
    with open(file, "rb") as fh:
        data = fh.read()
    try:
        report = import_roster(
            db.session, school.id, data, os.path.basename(file), strict=strict, full=not partial
        )
        db.session.commit()
    except RosterFileError as refusal:
        db.session.rollback()
        raise click.ClickException(f"{os.path.basename(file)}: {refusal}") from None
    except Exception:
        db.session.rollback()
        raise
    click.echo(_summary(report))
    if report["status"] == "rejected":
        raise SystemExit(1)


def _details(run) -> None:
    """What a person running one school wants to read: refused rows, notes, differences."""
    for row in run.rejected:
        click.echo(f"  refused row {row['row']} ({row['upn'] or 'no UPN'}): {row['reason']}")
    for note in run.notes:
        click.echo(f"  note on row {note['row']} ({note['upn']}): {note['note']}")
    for item in run.differences:
        click.echo(
            f"  {item['pupil_name']}: {item['field_words']} is {item['app_value_words']} here, "
            f"{item['mis_value_words']} in the MIS"
        )


@mis_cli.command("nightly")
@click.option("--school", "dfe_number", help="The school's DfE number, e.g. 8201234.")
@click.option("--all-schools", is_flag=True, help="Every school with an MIS source, in turn.")
@click.option(
    "--scheduled", is_flag=True, help="Log the run as the nightly schedule's (timers use this)."
)
def nightly_command(dfe_number, all_schools, scheduled):
    """Roster in from the MIS, SEN data out. Exit 0 all good, 2 some rows refused, 1 failed."""
    if bool(dfe_number) == all_schools:
        raise click.UsageError("Give either --school DFE or --all-schools.")
    trigger = "schedule" if scheduled else "cli"
    db.session.info["actor"] = {"actor_id": None, "device_id": trigger}
    settings = Settings.from_config(current_app.config)
    if all_schools:
        code = sweep(
            db.session, db.engine, settings, trigger, lambda line: click.echo(line, err=True)
        )
        raise SystemExit(code)
    school = _school(dfe_number)
    try:
        run = run_school(db.session, db.engine, school, trigger, settings)
    except Busy as busy:
        click.echo(f"{school.name}: skipped. {busy}", err=True)
        return
    except NotSetUp as missing:
        raise click.ClickException(str(missing)) from None
    _details(run)
    click.echo(f"{school.name}: {run.status}: {run.summary}", err=True)
    raise SystemExit(EXIT_CODES[run.status])


def _check_location(roster_file, roster_url) -> tuple[str, str]:
    if bool(roster_file) == bool(roster_url):
        raise click.UsageError("Give either --roster-file PATH or --roster-url URL.")
    if roster_url and (problem := url_problem(roster_url)):
        raise click.BadParameter(problem, param_hint="--roster-url")
    return ("file", os.path.abspath(roster_file)) if roster_file else ("http", roster_url)


@mis_cli.command("configure")
@click.option("--school", "dfe_number", required=True, help="The school's DfE number.")
@click.option("--roster-file", help="Where the MIS drops its roster (CTF .xml or .csv).")
@click.option("--roster-url", help="An https address to fetch the roster from.")
@click.option("--auth-env", help="Environment variable holding the roster's auth header value.")
@click.option("--auth-header", default="Authorization", show_default=True)
@click.option("--export-dir", help="Where to write the SEN export (default MIS_EXPORT_DIR/DFE).")
@click.option("--export-url", help="An https address to POST each new export to, as a ZIP.")
@click.option("--export-auth-env", help="Environment variable holding its auth header value.")
def configure_command(dfe_number, roster_file, roster_url, **options):
    """Set where a school's roster comes from and where its SEN export goes. From then on,
    identity and enrolment (UPN, names, date of birth, gender, year, class, admission and
    leaving) come only from the MIS."""
    school = _school(dfe_number)
    kind, location = _check_location(roster_file, roster_url)
    if options["export_url"] and (problem := url_problem(options["export_url"])):
        raise click.BadParameter(problem, param_hint="--export-url")
    source = db.session.get(MisSource, school.id) or MisSource(school_id=school.id)
    source.roster_kind, source.roster_location = kind, location
    for name, value in options.items():
        setattr(source, name, os.path.abspath(value) if name == "export_dir" and value else value)
    db.session.info["actor"] = {"actor_id": None, "device_id": "cli"}
    db.session.add(source)
    db.session.commit()
    click.echo(f"{school.name}: roster from {kind} {location}.")
