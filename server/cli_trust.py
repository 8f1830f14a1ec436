"""`flask trust ...`: an operator gives a trust's or local authority's officer the aggregate
provision map of named schools (issue 16). Only the operator of the deployment can: no school's
admin may widen what an account outside their school sees (server/models/trust.py).

    flask trust grant --email officer@la.example --school 8201234 --school 8201235
    flask trust revoke --email officer@la.example --school 8201235
    flask trust show --email officer@la.example

The first grant creates the account (role la_viewer), kept at the first school named; it asks
for a password of at least 10 characters. Later grants add schools to it.
"""

import click
from flask.cli import AppGroup
from sqlalchemy import select

from server.auth import hash_secret
from server.extensions import db
from server.models import School, Staff, TrustGrant
from server.policy import LA_VIEWER

trust_cli = AppGroup("trust", help="Trust and local-authority viewers: which schools they see.")


def _schools(dfe_numbers) -> list[School]:
    found = {
        s.dfe_number: s
        for s in db.session.scalars(select(School).where(School.dfe_number.in_(dfe_numbers)))
    }
    missing = [n for n in dfe_numbers if n not in found]
    if missing:
        raise click.ClickException(f"No school with DfE number {', '.join(missing)}.")
    return [found[n] for n in dict.fromkeys(dfe_numbers)]


def _viewer(email: str) -> Staff | None:
    staff = db.session.scalar(select(Staff).where(Staff.email == email.strip().lower()))
    if staff is not None and staff.role != LA_VIEWER:
        raise click.ClickException(
            f"{email} is a {staff.role} at a school; a trust viewer needs an account of its own."
        )
    return staff


@trust_cli.command("grant")
@click.option("--email", required=True, help="The officer's login.")
@click.option("--school", "dfe_numbers", multiple=True, required=True, help="DfE number; repeat.")
@click.option("--name", default="Trust viewer", show_default=True, help="For a new account.")
def grant(email, dfe_numbers, name):
    """Let an la_viewer see these schools' aggregate provision map (creating the account)."""
    schools = _schools(dfe_numbers)
    staff = _viewer(email)
    if staff is None:
        password = click.prompt(
            "Password for the new account", hide_input=True, confirmation_prompt=True
        )
        if len(password) < 10:
            raise click.BadParameter("must be at least 10 characters", param_hint="password")
        staff = Staff(
            school_id=schools[0].id,
            name=name,
            email=email.strip().lower(),
            role=LA_VIEWER,
            password_hash=hash_secret(password),
        )
        db.session.add(staff)
        db.session.flush()
    held = set(
        db.session.scalars(select(TrustGrant.school_id).where(TrustGrant.staff_id == staff.id))
    )
    new = [s for s in schools if s.id not in held]
    db.session.add_all(TrustGrant(staff_id=staff.id, school_id=s.id) for s in new)
    db.session.commit()
    click.echo(f"{staff.email} now sees {len(held) + len(new)} school(s); added {len(new)}.")


@trust_cli.command("revoke")
@click.option("--email", required=True)
@click.option("--school", "dfe_numbers", multiple=True, required=True, help="DfE number; repeat.")
def revoke(email, dfe_numbers):
    """Stop an la_viewer seeing these schools (the account stays, seeing the rest)."""
    staff = _viewer(email)
    if staff is None:
        raise click.ClickException(f"No trust viewer {email}.")
    ids = [s.id for s in _schools(dfe_numbers)]
    # Through the ORM, one row at a time, so each school's audit log records its revocation.
    for row in db.session.scalars(
        select(TrustGrant).where(TrustGrant.staff_id == staff.id, TrustGrant.school_id.in_(ids))
    ):
        db.session.delete(row)
    db.session.commit()
    click.echo(f"{staff.email} no longer sees {len(ids)} school(s).")


@trust_cli.command("show")
@click.option("--email", required=True)
def show(email):
    """The schools an la_viewer sees."""
    staff = _viewer(email)
    if staff is None:
        raise click.ClickException(f"No trust viewer {email}.")
    rows = db.session.execute(
        select(School.dfe_number, School.name)
        .join(TrustGrant, TrustGrant.school_id == School.id)
        .where(TrustGrant.staff_id == staff.id)
        .order_by(School.name)
    )
    for dfe_number, school_name in rows:
        click.echo(f"{dfe_number}  {school_name}")
