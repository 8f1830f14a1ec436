"""`flask sync rebuild [--school DFE]`: recompute the projections from head entries.

For after a restore, a bug fix in the merge, or a suspicion that the projections drifted.
Registered by server/cli.py; the work itself is sync.merge.rebuild.
"""

import time

import click
from flask.cli import AppGroup
from sqlalchemy import select

from server.extensions import db
from server.models import School
from sync.merge.rebuild import rebuild

sync_cli = AppGroup("sync", help="Maintain what the merge derives from entries.")


@sync_cli.command("rebuild")
@click.option("--school", "dfe_number", help="DfE number (LA + establishment); default: all.")
def rebuild_command(dfe_number):
    """Zero and recompute provision-map figures and voice points from head entries."""
    query = select(School).order_by(School.id)
    if dfe_number:
        query = query.where(School.dfe_number == dfe_number)
    schools = db.session.scalars(query).all()
    if not schools:
        raise click.ClickException(f"No school with DfE number {dfe_number}.")
    for school in schools:
        started = time.perf_counter()
        counts = rebuild(db.session, school.id)
        db.session.commit()  # one school per transaction: a failure leaves the others rebuilt
        click.echo(
            f"{school.name} ({school.dfe_number}): {counts['entries']} entries, "
            f"{counts['groups']} groups, {counts['enrolments']} pupil rows, "
            f"{counts['voice_points']} voice points in {time.perf_counter() - started:.2f}s"
        )
