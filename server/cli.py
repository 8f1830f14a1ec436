"""Command-line tools for the school IT technician and the nightly scheduler."""

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from schemas.passwords import password_problem
from server.auth import hash_secret
from server.extensions import db
from server.models import School, Staff

school_cli = AppGroup("school", help="Set up schools and their first admin.")


@school_cli.command("create")
@click.option("--name", required=True, help="The school's name.")
@click.option("--dfe-number", required=True, help="LA number + establishment number, e.g. 8201234.")
@click.option("--admin-email", required=True)
@click.option("--admin-name", default="School administrator", show_default=True)
@click.password_option("--admin-password", help="At least 10 characters.")
def create_school(name, dfe_number, admin_email, admin_name, admin_password):
    """Create a school and its first admin account."""
    if not (len(dfe_number) == 7 and dfe_number.isdigit()):
        raise click.BadParameter(
            "must be 7 digits: LA number then establishment number", param_hint="--dfe-number"
        )
    if len(admin_password) < 10:
        raise click.BadParameter("must be at least 10 characters", param_hint="--admin-password")
    weak = password_problem(admin_password, (admin_email, admin_name, name))
    if weak:
        raise click.BadParameter(weak, param_hint="--admin-password")
    if db.session.scalar(select(School).where(School.dfe_number == dfe_number)):
        raise click.ClickException(f"A school with DfE number {dfe_number} already exists.")
    school = School(name=name, dfe_number=dfe_number)
    db.session.add(school)
    db.session.flush()
    db.session.add(
        Staff(
            school_id=school.id,
            name=admin_name,
            email=admin_email.strip().lower(),
            role="admin",
            password_hash=hash_secret(admin_password),
        )
    )
    db.session.commit()
    click.echo(f"Created {name} (id {school.id}) with admin {admin_email}.")


@click.command("pwa-limits")
def pwa_limits_command():
    """Write pwa/js/limits.js from the entry schemas, so the app checks what the server does."""
    from schemas.client_limits import module_text
    from server.pwa import PWA_DIR

    (PWA_DIR / "js" / "limits.js").write_text(module_text(), encoding="utf-8")
    click.echo("Wrote pwa/js/limits.js.")


def init_app(app: Flask) -> None:
    from server.cli_mis import mis_cli
    from server.cli_sync import sync_cli
    from server.demo import demo_command

    for command in (school_cli, demo_command, mis_cli, sync_cli, pwa_limits_command):
        app.cli.add_command(command)
    # Trust and local-authority viewers (issue 16).
    from server.cli_trust import trust_cli

    app.cli.add_command(trust_cli)
    # Privacy and backups (issue 15): subject access, retention, backup and restore.
    from server.cli_backup import backup_cli
    from server.cli_privacy import pupil_cli, retention_cli

    for command in (pupil_cli, retention_cli, backup_cli):
        app.cli.add_command(command)
