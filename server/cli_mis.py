"""`flask mis ...`: the MIS exchange from the command line, for the technician and the scheduler."""

import os

import click
from flask.cli import AppGroup
from sqlalchemy import select

from server.extensions import db
from server.models import School
from sync.mis import RosterFileError
from sync.mis.roster import import_roster

mis_cli = AppGroup("mis", help="Exchange data with the school MIS.")


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
    school = db.session.scalar(select(School).where(School.dfe_number == dfe_number))
    if school is None:
        raise click.ClickException(f"No school has DfE number {dfe_number}.")
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
