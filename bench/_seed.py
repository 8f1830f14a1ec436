"""Benchmark helpers: a fresh migrated database, one school with a TA and many groups, and
realistic session-record ops. Shared by bench/sync_push.py (and handy for profiling by hand)."""

import contextlib
import os
import random
import sys
import time
import uuid
from datetime import date, timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

TA_EMAIL = "ta@bench.example.org"
TA_PASSWORD = "bench horse battery staple"
FAST_HASH = "pbkdf2:sha256:1000"


def log(*args) -> None:
    print(*args, file=sys.stderr, flush=True)


def sqlalchemy_url(url: str) -> str:
    from server.config import normalise_db_url

    return normalise_db_url(url)


def recreate_postgres(url: str) -> None:
    """Drop and re-create the database the URL names. Refuses names without "bench" in them."""
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(sqlalchemy_url(url))
    name = parsed.database
    if not name or "bench" not in name:
        raise SystemExit(f"Refusing to drop database {name!r}: its name must contain 'bench'.")
    admin = parsed.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False
    )
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def migrate_and_seed(url: str, instance_path: str, groups: int = 40, per_group: int = 6) -> dict:
    """Run the real migrations, then add one school, a TA who delivers every group, pupils,
    enrolments and the test session template. Returns ids the load generator needs."""
    os.environ["INSTANCE_PATH"] = instance_path
    from flask_migrate import upgrade
    from werkzeug.security import generate_password_hash

    from server import create_app
    from server.extensions import db
    from server.models import Enrolment, Group, Intervention, Pupil, School, Staff
    from tests.sync_support import add_test_templates

    # create_app also writes the instance secret_key file, before any server worker starts.
    app = create_app({"SQLALCHEMY_DATABASE_URI": sqlalchemy_url(url)})
    with app.app_context(), contextlib.redirect_stdout(sys.stderr):
        upgrade()
        school = School(name="Bench Primary", dfe_number="8209999")
        db.session.add(school)
        db.session.flush()
        ta = Staff(
            school_id=school.id,
            name="Bench TA",
            email=TA_EMAIL,
            role="ta",
            password_hash=generate_password_hash(TA_PASSWORD, method=FAST_HASH),
        )
        intervention = Intervention(
            school_id=school.id,
            name="Talk Boost",
            area_of_need="CI",
            measure_type="standardised_score",
        )
        db.session.add_all([ta, intervention])
        db.session.flush()
        group_rows = [
            Group(
                school_id=school.id,
                intervention_id=intervention.id,
                name=f"Talk Boost {n + 1:02d}",
                sessions_per_week=3,
                minutes_per_session=30,
                weeks=10,
                ratio="1:6",
                start_date=date(2026, 9, 8),
                funding_source="notional_sen",
                staff=[ta],
                hourly_staff_cost_pence=1500,
            )
            for n in range(groups)
        ]
        pupils = [
            Pupil(
                school_id=school.id,
                upn=f"B{n:012d}",
                forename=f"Pupil{n}",
                surname="Benchson",
                dob=date(2016, 1 + n % 12, 1 + n % 28),
                gender="F" if n % 2 else "M",
                year_group=str(3 + n % 4),
            )
            for n in range(groups * per_group)
        ]
        db.session.add_all(group_rows + pupils)
        db.session.flush()
        members = {}
        for g_index, group in enumerate(group_rows):
            chosen = pupils[g_index * per_group : (g_index + 1) * per_group]
            members[group.id] = [p.id for p in chosen]
            db.session.add_all(
                Enrolment(
                    school_id=school.id,
                    group_id=group.id,
                    pupil_id=p.id,
                    joined_on=date(2026, 9, 8),
                )
                for p in chosen
            )
        db.session.commit()
        add_test_templates(school.id)
        info = {"school_id": school.id, "ta_id": ta.id, "groups": members}
        db.session.remove()
        db.engine.dispose()
    return info


STEPS = [
    "Step 1: listening game",
    "Step 2: turn taking",
    "Step 3: describing pictures",
    "Step 4: sequencing a story",
    "Step 5: asking questions",
]
NOTES = [
    "Good focus today",
    "Needed prompting to start",
    "Used the visual timetable well",
    "Tired after PE",
    "Answered in full sentences",
    "Helped a peer",
    None,
]
ABSENCE = ["Medical appointment", "Off sick", "Music lesson clash", "Late to school"]
WENT_WELL = [
    "The group took turns without reminders.",
    "Everyone joined the story retell.",
    "Good use of the new vocabulary cards.",
    "Calm start after the movement break.",
]
CHANGES = [
    "Shortened the session: assembly overran.",
    "Swapped the game for a quieter task.",
    "Two pupils only; the rest on a trip.",
    None,
]


def school_days(start: date = date(2026, 9, 8), count: int = 60) -> list[date]:
    days, day = [], start
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def session_ops(rng: random.Random, groups: dict, count: int, first_seq: int) -> list[dict]:
    """`count` realistic session records: a group of pupils, one absent with a reason,
    engagement 1-5, a step, short notes, delivered as planned or not (with what changed)."""
    from tests.sync_support import session_op

    days, group_ids, ops = school_days(), sorted(groups), []
    for i in range(count):
        group_id = rng.choice(group_ids)
        pupils = groups[group_id]
        op = session_op(first_seq + i, group_id, pupils, day=rng.choice(days))
        core = op["entry"]["core"]
        absent = rng.choice(pupils)
        core["attendance"] = [
            {"pupil_id": p, "status": "absent", "absence_reason": rng.choice(ABSENCE)}
            if p == absent
            else {
                "pupil_id": p,
                "status": "present",
                "engagement": rng.randint(1, 5),
                "step": rng.choice(STEPS),
                "note": rng.choice(NOTES),
            }
            for p in pupils
        ]
        core["minutes_delivered"] = rng.choice([20, 25, 30, 30, 30])
        core["location"] = "Library"
        planned = rng.random() < 0.8
        core["delivered_as_planned"] = planned
        if not planned:
            core["changes_made"] = rng.choice([c for c in CHANGES if c])
        op["entry"]["answers"] = {"went_well": rng.choice(WENT_WELL)}
        op["op_id"], op["entry"]["entry_id"] = uuid7(), uuid7()
        ops.append(op)
    return ops


def uuid7() -> str:
    """A time-ordered UUID (RFC 9562 version 7), as the PWA mints for op and entry ids, so
    that new rows land at the end of the id indexes instead of on random pages."""
    millis = time.time_ns() // 1_000_000
    value = bytearray(millis.to_bytes(6, "big") + os.urandom(10))
    value[6] = 0x70 | (value[6] & 0x0F)
    value[8] = 0x80 | (value[8] & 0x3F)
    return str(uuid.UUID(bytes=bytes(value)))


def new_device_id() -> str:
    return "bench-" + uuid.uuid4().hex[:16]
