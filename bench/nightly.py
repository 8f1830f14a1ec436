"""Time the nightly MIS exchange: roster in over HTTP, SEN export out, for one 1,500-pupil
school with a term of records, or for every school of many (--schools 20 --all-schools).

    .venv/bin/python bench/nightly.py [--pupils 1500] [--schools 1] [--all-schools]
        [--database-url postgresql://postgres@127.0.0.1:5432/bench_nightly]

Each school gets 150 groups of 8 pupils running 3 sessions a week for the 12 weeks of the
current term (5,400 running records), two pupil-voice entries per place, and 15% of pupils on
the SEN register. Its roster is a CTF served by a real HTTP server on 127.0.0.1. The first
night creates the pupils; the timed nights are then:

- nightly_seconds: a typical night, 1% of pupils changed in the MIS, a new export written;
- rerun_seconds: the same roster again the same day (nothing to write).

With --all-schools the same nights run as one `flask mis nightly --all-schools` sweep
(sync.mis.nightly.sweep) over every school. Prints JSON; targets: one school < 10 s, 20 schools
< 120 s. A PostgreSQL database named in --database-url is dropped and re-created (its name
must contain "bench"); without it a temporary SQLite file is used. Progress goes to stderr.
"""

import argparse
import http.server
import json
import os
import random
import shutil
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, date, datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _seed import log, recreate_postgres, sqlalchemy_url  # noqa: E402
from stdnum.gb.upn import calc_check_digit  # noqa: E402

LA = "822"
NEEDS = ["SPLD", "MLD", "SEMH", "SLCN", "ASD", "HI", "VI", "PD", "OTH"]
STATUSES = ["present"] * 6 + ["late", "absent"]


def dfe_number(school: int) -> str:
    return f"{LA}{3001 + school}"


def roster(school: int, pupils: int, night: int) -> bytes:
    """The school's CTF; from night 2 on, 1% of pupils have a changed surname or SEN status."""
    estab, rows = dfe_number(school)[3:], []
    for n in range(pupils):
        rng = random.Random(school * 100_000 + n)  # each pupil the same every night
        body = f"{LA}{estab}{20 + n // 1000:02d}{n % 1000:03d}"
        changed = night > 1 and n % 100 == 0
        sen = ""
        if rng.random() < 0.15 or changed:
            code = "E" if (rng.random() < 0.2) != changed else "K"
            needs = rng.sample(NEEDS, rng.choice((1, 2)))
            sen = (
                f"<SENhistory><SEN><StartDate>2025-09-0{1 + n % 5}</StartDate>"
                f"<SENprovision>{code}</SENprovision></SEN><SENneeds>"
                + "".join(
                    f"<SENneed><SENtype>{t}</SENtype><SENtypeRank>{r}</SENtypeRank></SENneed>"
                    for r, t in enumerate(needs, start=1)
                )
                + "</SENneeds></SENhistory>"
            )
        rows.append(
            f"<Pupil><UPN>{calc_check_digit(body)}{body}</UPN>"
            f"<Surname>{'Moved' if changed else 'Bench'}{n % 97}</Surname><Forename>Pupil{n}"
            f"</Forename><DOB>{date(2015, 9, 1) + timedelta(days=n % 2000)}</DOB>"
            f"<Gender>{'MF'[n % 2]}</Gender><BasicDetails><NCyearActual>{1 + n % 6}"
            f"</NCyearActual></BasicDetails>{sen}</Pupil>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><CTfile><Header><DocumentName>Common Transfer '
        f"File</DocumentName><SourceSchool><LEA>{LA}</LEA><Estab>{estab}</Estab></SourceSchool>"
        f"</Header><CTFpupilData>{''.join(rows)}</CTFpupilData></CTfile>"
    ).encode()


class Rosters(http.server.BaseHTTPRequestHandler):
    """Serves /<school>.xml from the current night's rosters."""

    served: dict = {}
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        body = self.served[self.path.strip("/")]
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve() -> tuple[http.server.ThreadingHTTPServer, int]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Rosters)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


def add_schools(db, count: int, port: int) -> list[int]:
    from server.models import MisSource, School, Staff, Term

    ids = []
    for s in range(count):
        school = School(name=f"Bench School {s + 1}", dfe_number=dfe_number(s))
        db.session.add(school)
        db.session.flush()
        db.session.add_all(
            [
                MisSource(
                    school_id=school.id,
                    roster_kind="http",
                    roster_location=f"http://127.0.0.1:{port}/{s}.xml",
                ),
                Staff(school_id=school.id, name="TA", email=f"ta{s}@bench.example.org", role="ta"),
                Term(
                    school_id=school.id,
                    name="This term",
                    starts_on=date.today() - timedelta(weeks=12),
                    ends_on=date.today() + timedelta(weeks=2),
                ),
            ]
        )
        ids.append(school.id)
    db.session.commit()
    return ids


def add_provision(db, school_id: int, rng: random.Random) -> int:
    """150 groups of 8 on roll pupils, a term of running records and two views per place."""
    from sqlalchemy import select

    from server.models import Enrolment, Entry, Group, Intervention, Pupil, Staff
    from tests.sync_support import SESSION_TEMPLATE, VOICE_TEMPLATE, add_test_templates

    add_test_templates(school_id)
    ta = db.session.scalar(select(Staff.id).where(Staff.school_id == school_id))
    pupils = list(db.session.scalars(select(Pupil.id).where(Pupil.school_id == school_id)))
    intervention = Intervention(
        school_id=school_id, name="Talk Boost", area_of_need="CI", measure_type="standardised_score"
    )
    db.session.add(intervention)
    db.session.flush()
    start = date.today() - timedelta(weeks=12)
    start -= timedelta(days=start.weekday())
    groups = [
        Group(
            school_id=school_id,
            intervention_id=intervention.id,
            name=f"Group {g}",
            sessions_per_week=3,
            minutes_per_session=30,
            weeks=12,
            ratio="1:8",
            start_date=start,
            funding_source="notional_sen",
            hourly_staff_cost_pence=1500,
            review_date=start + timedelta(weeks=12),
        )
        for g in range(150)
    ]
    db.session.add_all(groups)
    db.session.flush()
    members = {g.id: rng.sample(pupils, 8) for g in groups}
    db.session.execute(
        Enrolment.__table__.insert(),
        [
            {
                "school_id": school_id,
                "group_id": g,
                "pupil_id": p,
                "joined_on": start,
                "entry_data": {"score": 80},
                "server_seq": 0,
            }
            for g, ps in members.items()
            for p in ps
        ],
    )
    now, rows = datetime.now(UTC), []
    base = {
        "school_id": school_id,
        "rev": 1,
        "base_rev": None,
        "is_head": True,
        "deleted": False,
        "recorded_at": now,
        "received_at": now,
        "author_id": ta,
        "device_id": "bench",
        "server_seq": 0,
        "template_version": 1,
    }
    for g, ps in members.items():
        for week in range(12):
            for day in (0, 2, 4):
                when = start + timedelta(weeks=week, days=day)
                core = {
                    "group_id": g,
                    "date": when.isoformat(),
                    "minutes_delivered": 30,
                    "delivered_as_planned": True,
                    "attendance": [
                        {
                            "pupil_id": p,
                            "status": rng.choice(STATUSES),
                            "engagement": rng.randint(1, 5),
                        }
                        for p in ps
                    ],
                }
                rows.append(
                    {
                        **base,
                        "entry_id": str(uuid.uuid4()),
                        "kind": "session_record",
                        "template_id": SESSION_TEMPLATE["id"],
                        "group_id": g,
                        "pupil_ids": ps,
                        "date": when,
                        "core": core,
                        "answers": {},
                    }
                )
        for p in ps:
            for when in (start + timedelta(days=1), start + timedelta(weeks=11)):
                core = {
                    "pupil_id": p,
                    "date": when.isoformat(),
                    "mode": "independent",
                    "context": "termly_review",
                    "group_id": g,
                }
                rows.append(
                    {
                        **base,
                        "entry_id": str(uuid.uuid4()),
                        "kind": "pupil_voice",
                        "template_id": VOICE_TEMPLATE["id"],
                        "group_id": g,
                        "pupil_ids": [p],
                        "date": when,
                        "core": core,
                        "answers": {"feel_school": rng.randint(1, 3)},
                    }
                )
    for at in range(0, len(rows), 5000):
        db.session.execute(Entry.__table__.insert(), rows[at : at + 5000])
    db.session.commit()
    return len(rows)


def _sweep(app, settings, said: list) -> None:
    from server.extensions import db
    from sync.mis.nightly import sweep

    with app.app_context():
        db.session.info["actor"] = {"actor_id": None, "device_id": "bench"}
        sweep(db.session, db.engine, settings, "schedule", said.append)
        db.session.remove()


def night(app, db, ids: list[int], sweep_all: bool, servers: int = 1) -> tuple:
    """One night for every school: (wall seconds, CPU seconds of this process, statuses).
    With --servers N, N schedulers sweep at once (threads here, servers in production), sharing
    the schools through their locks."""
    from server.models import School
    from sync.mis.nightly import run_school
    from sync.mis.source import Settings

    settings = Settings.from_config(app.config)
    started, cpu, said = time.perf_counter(), time.process_time(), []
    if sweep_all:
        threads = [
            threading.Thread(target=_sweep, args=(app, settings, said)) for _ in range(servers)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        said = [line for line in said if "skipped" not in line]
    else:
        for school_id in ids:
            run = run_school(
                db.session, db.engine, db.session.get(School, school_id), "cli", settings
            )
            said.append(f"{run.school_id}: {run.status}: {run.summary}")
    return time.perf_counter() - started, time.process_time() - cpu, said


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url")
    parser.add_argument("--pupils", type=int, default=1500)
    parser.add_argument("--schools", type=int, default=1)
    parser.add_argument("--all-schools", action="store_true")
    parser.add_argument("--servers", type=int, default=1, help="Schedulers sweeping at once")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="nightly-bench-")
    url = args.database_url or f"sqlite:///{work}/bench.sqlite"
    if args.database_url:
        recreate_postgres(url)
    os.environ["INSTANCE_PATH"] = os.path.join(work, "instance")
    from flask_migrate import upgrade

    from server import create_app
    from server.extensions import db
    from sync.merge import rebuild

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": sqlalchemy_url(url),
            "SECRET_KEY": "bench",
            "MIS_EXPORT_DIR": os.path.join(work, "exports"),
        }
    )
    server, port = serve()
    figures = {}
    with app.app_context():
        upgrade()
        db.session.info["actor"] = {"actor_id": None, "device_id": "bench"}
        ids = add_schools(db, args.schools, port)
        Rosters.served = {f"{s}.xml": roster(s, args.pupils, 1) for s in range(args.schools)}
        figures["first_night_seconds"] = round(night(app, db, ids, args.all_schools)[0], 2)
        entries = 0
        for n, school_id in enumerate(ids):
            entries += add_provision(db, school_id, random.Random(n))
            rebuild(db.session, school_id)
            db.session.commit()
            log(f"seeded school {n + 1} of {len(ids)}")
        Rosters.served = {f"{s}.xml": roster(s, args.pupils, 2) for s in range(args.schools)}
        wall, cpu, said = night(app, db, ids, args.all_schools, args.servers)
        rerun, _, again = night(app, db, ids, args.all_schools, args.servers)
        db.session.remove()
        db.engine.dispose()
    server.shutdown()
    shutil.rmtree(work, ignore_errors=True)
    log("\n".join(said[:3] + again[:3]))
    print(
        json.dumps(
            {
                "database": "postgresql" if args.database_url else "sqlite",
                "schools": args.schools,
                "mode": f"{args.servers} sweep(s) at once (--all-schools)"
                if args.all_schools
                else "one school at a time",
                "runs": len(said),
                "pupils_per_school": args.pupils,
                "entries_per_school": entries // len(ids),
                **figures,
                "nightly_seconds": round(wall, 2),
                "nightly_cpu_seconds": round(cpu, 2),
                "nightly_seconds_per_school": round(wall / len(ids), 2),
                "rerun_seconds": round(rerun, 2),
                "statuses": sorted({line.split(": ")[1] for line in said + again}),
                "load_average_1min": round(os.getloadavg()[0], 1),
                "cpus": os.cpu_count(),
                "targets": {"one_school_seconds": 10, "twenty_schools_seconds": 120},
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
