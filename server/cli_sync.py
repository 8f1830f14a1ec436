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


@sync_cli.command("window")
@click.option("--school", "dfe_number", required=True, help="DfE number (LA + establishment).")
@click.option("--terms", help="Terms of entries a device's first sync carries, or 'all'.")
def window_command(dfe_number, terms):
    """Show or set how many terms of entries a new device takes offline (sync/pull_window.py).
    A device keeps the window of its first sync; older entries are read online."""
    from schemas.sen import today_in_london
    from server.models import SyncSettings
    from sync.pull_window import entries_from, entry_terms

    school = db.session.scalar(select(School).where(School.dfe_number == dfe_number))
    if school is None:
        raise click.ClickException(f"No school with DfE number {dfe_number}.")
    if terms is not None:
        if terms != "all" and not (terms.isdigit() and 1 <= int(terms) <= 30):
            raise click.BadParameter(
                "a number of terms from 1 to 30, or 'all'", param_hint="--terms"
            )
        value = None if terms == "all" else int(terms)
        db.session.merge(SyncSettings(school_id=school.id, entry_terms=value))
        db.session.commit()
    chosen, first = (
        entry_terms(db.session, school.id),
        entries_from(db.session, school.id, today_in_london()),
    )
    click.echo(
        f"{school.name}: {chosen or 'all'} term(s); a first sync today takes entries "
        + (f"from {first.isoformat()}." if first else "of every date.")
    )
