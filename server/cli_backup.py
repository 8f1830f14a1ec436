"""`flask backup create|restore|key`: encrypted archives of the database and attachments.

Registered by server/cli.py; the work is in server/backup.py. Nightly: the systemd timer
deploy/systemd/send-backup.timer, or the compose housekeeping service.
"""

import secrets

import click
from flask import current_app
from flask.cli import AppGroup

from server import backup
from server.backup_crypto import BadArchive
from server.extensions import db

backup_cli = AppGroup("backup", help="Encrypted backups of the database and attachments.")


@backup_cli.command("create")
@click.option("--to", "to_dir", type=click.Path(file_okay=False), help="Default: BACKUP_DIR.")
def create_command(to_dir):
    """Make one dated, encrypted archive while the app runs; keep the newest BACKUP_KEEP."""
    if not current_app.config["BACKUP_KEY"]:
        raise click.ClickException("Set BACKUP_KEY first (`flask backup key` makes one).")
    path = backup.create(current_app, db, to_dir)
    click.echo(f"Wrote {path}")


@backup_cli.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False))
@click.option("--force", is_flag=True, help="Replace the data this instance already holds.")
def restore_command(archive, force):
    """Restore ARCHIVE into this (empty) instance, after checking every checksum. Then run
    `flask db upgrade` and `flask sync rebuild`."""
    try:
        result = backup.restore(current_app, db, archive, force=force)
    except (BadArchive, backup.RestoreRefused) as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"Restored the backup made {result['made_at']} (schema {result['revision']}) and "
        f"{result['attachments']} attachment files. Next: flask db upgrade."
    )


@backup_cli.command("key")
def key_command():
    """Print a new random key for BACKUP_KEY. Keep a copy away from the backups."""
    click.echo(secrets.token_urlsafe(32))
