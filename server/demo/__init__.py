"""`flask demo`: build a realistic, entirely fictional primary school to try the product with."""

import time
from datetime import date
from random import Random

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from schemas.sen import today_in_london
from server.auth import hash_secret
from server.demo.calendar import half_terms, school_year, teaching_mondays
from server.demo.evidence import build_evidence
from server.demo.provision import build_provision
from server.demo.pupils import build_pupils
from server.demo.school import DFE_NUMBER, PASSWORD, SCHOOL_NAME, build_school, demo_accounts
from server.extensions import db
from server.models import School, Staff

DEFAULT_SEED = 2026


def build_demo(seed: int = DEFAULT_SEED, today: date | None = None) -> dict:
    """Create the whole demo school in one transaction; the same seed and day give the same
    school. Its year, groups and records sit around `today` (default: today in London)."""
    rng = Random(seed)
    today = today or today_in_london()
    year = school_year(today)
    terms = half_terms(year)
    mondays = teaching_mondays(terms)
    this_week = max(0, sum(monday <= today for monday in mondays) - 1)
    # One hash for every account: scrypt is deliberately slow, so hashing 15 times would not be.
    made = build_school(hash_secret(PASSWORD), terms)
    school_id = made["school"].id
    # The register is drawn for 2026-27, then moved to the current school year.
    pupils = build_pupils(rng, school_id, made["classes"], year - 2026, today)
    groups = build_provision(rng, school_id, pupils, made["tas"], mondays, this_week)
    register = [p for p in pupils if p.sen_provision in ("K", "E")]
    school = {
        "id": school_id,
        "senco_id": made["senco"].id,
        "senco": made["senco"],
        "register": register,
    }
    evidence = build_evidence(rng, school, groups, mondays, terms, today)
    # Count before committing: the commit expires every object, and reading them would reload.
    summary = {
        "school_id": school_id,
        "pupils": len(pupils),
        "on_register": sum(p.sen_provision != "N" for p in pupils),
        "groups": len(groups),
        "enrolments": sum(len(g.enrolments) for g in groups),
        "session_records": evidence["session_records"],
    }
    db.session.commit()
    return summary


def print_logins() -> None:
    click.echo(f"\nDemo logins for {SCHOOL_NAME} (every account's password: {PASSWORD})")
    for role, email, name in demo_accounts():
        click.echo(f"  {role:<8} {email:<34} {name}")
    click.echo("Start with senco@ to see everything; the others show each role's view.\n")


@click.command("demo")
@click.option(
    "--if-empty",
    is_flag=True,
    help="Do nothing if the database already holds any school (used by `make run`).",
)
@click.option(
    "--seed",
    default=DEFAULT_SEED,
    show_default=True,
    type=int,
    help="Random seed: the same seed builds the same pupils and groups.",
)
@with_appcontext
def demo_command(if_empty: bool, seed: int) -> None:
    """Build the fictional demo school Meadowbank Primary and print its logins."""
    demo_exists = db.session.scalar(select(School.id).where(School.dfe_number == DFE_NUMBER))
    if if_empty and db.session.scalar(select(func.count(School.id))):
        click.echo("The database already has a school, so no demo was built.")
        if demo_exists:
            print_logins()
        return
    if demo_exists:
        raise click.ClickException(
            f"The demo school (DfE {DFE_NUMBER}) already exists. "
            "Use a fresh database to build it again."
        )
    emails = [email for _, email, _ in demo_accounts()]
    clash = db.session.scalar(select(Staff.email).where(Staff.email.in_(emails)))
    if clash:
        raise click.ClickException(f"An account {clash} already exists; the demo needs that email.")
    started = time.perf_counter()
    made = build_demo(seed)
    click.echo(
        f"Built {SCHOOL_NAME} in {time.perf_counter() - started:.1f} s: "
        f"{made['pupils']} pupils ({made['on_register']} on the SEN register), "
        f"{made['groups']} intervention groups, {made['enrolments']} enrolments, "
        f"{made['session_records']} session records."
    )
    print_logins()
