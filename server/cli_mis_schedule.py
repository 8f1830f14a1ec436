"""`flask mis scheduler --at 02:30`: the compose file's scheduler service. Sleeps until the next
02:30 in Europe/London (whatever the container's clock zone), runs `nightly --all-schools`, and
again the next night, for ever. Each night's sweep is the same code as the CLI's, so several
schedulers (one per server) share the schools between them instead of running each twice.

A systemd timer or a Kubernetes CronJob runs `flask mis nightly --all-schools --scheduled`
instead; this is for where neither is at hand.
"""

import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import with_appcontext

from server.extensions import db
from sync.mis.nightly import sweep
from sync.mis.source import Settings

LONDON = ZoneInfo("Europe/London")


def next_run(now: datetime, at: str) -> datetime:
    """The next moment the wall clock in London reads `at` (HH:MM), strictly after `now`."""
    hour, minute = (int(part) for part in at.split(":"))
    local = now.astimezone(LONDON)
    candidate = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if candidate <= local:
        candidate = (local + timedelta(days=1)).replace(
            hour=hour, minute=minute, second=0, microsecond=0
        )
    return candidate


def _valid_time(ctx, param, value: str) -> str:
    try:
        datetime.strptime(value, "%H:%M")
    except ValueError:
        raise click.BadParameter("use the 24-hour HH:MM, e.g. 02:30") from None
    return value


@click.command("scheduler")
@click.option("--at", default="02:30", show_default=True, callback=_valid_time)
@with_appcontext
def scheduler_command(at: str) -> None:
    """Run the nightly MIS exchange for every school at --at each night (Europe/London)."""
    while True:
        wake = next_run(datetime.now(LONDON), at)
        click.echo(f"Next MIS sweep {wake:%a %-d %b %Y %H:%M} (Europe/London).", err=True)
        # In UTC: two times in one zone subtract by the wall clock, an hour out across a change.
        time.sleep(max(0.0, (wake.astimezone(UTC) - datetime.now(UTC)).total_seconds()))
        db.session.info["actor"] = {"actor_id": None, "device_id": "schedule"}
        settings = Settings.from_config(current_app.config)
        code = sweep(db.session, db.engine, settings, "schedule", lambda s: click.echo(s, err=True))
        db.session.remove()
        click.echo(f"MIS sweep finished with exit code {code}.", err=True)
