"""Time a roster import: a generated 1,500-pupil CTF into a fresh database, then the same again.

    .venv/bin/python bench/roster_import.py [--pupils 1500] [--database-url postgresql://...]

Prints JSON. The re-run is the nightly case (nothing changed); targets are cold < 3 s and
re-run < 1 s. With --database-url, give an empty database: the bench migrates it and adds a school.
"""

import argparse
import json
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from stdnum.gb.upn import calc_check_digit  # noqa: E402

LA, ESTAB = "822", "2001"
FORENAMES = [
    "Amara",
    "Ben",
    "Chloe",
    "Dev",
    "Ella",
    "Finn",
    "Grace",
    "Harun",
    "Isla",
    "Jack",
    "Kemi",
    "Leo",
    "Maya",
    "Noah",
    "Olivia",
    "Priya",
    "Reuben",
    "Sofia",
    "Tom",
    "Zara",
]
SURNAMES = [
    "Adebayo",
    "Brown",
    "Chen",
    "Davies",
    "Evans",
    "Fraser",
    "Gill",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Murphy",
    "Nowak",
    "Okafor",
    "Patel",
    "Quinn",
    "Roberts",
]
YEARS = ["R", "1", "2", "3", "4", "5", "6"]
NEEDS = ["SPLD", "MLD", "SEMH", "SLCN", "ASD", "HI", "VI", "PD", "OTH"]


def _sen(rng: random.Random) -> str:
    """SEN for about 15% of pupils: mostly SEN support, some EHC plans, one or two ranked needs."""
    if rng.random() >= 0.15:
        return ""
    code = "E" if rng.random() < 0.2 else "K"
    start = date(2023, 9, 1) + timedelta(days=rng.randrange(700))
    needs = "".join(
        f"<SENneed><SENtypeRank>{rank}</SENtypeRank><SENtype>{need}</SENtype></SENneed>"
        for rank, need in enumerate(rng.sample(NEEDS, rng.choice((1, 2))), start=1)
    )
    return (
        f"<SENhistory><SEN><StartDate>{start}</StartDate><SENprovision>{code}</SENprovision>"
        f"</SEN><SENneeds>{needs}</SENneeds></SENhistory>"
    )


def _pupil(n: int, rng: random.Random) -> str:
    body = f"{LA}{ESTAB}{20 + n // 1000:02d}{n % 1000:03d}"  # unique for up to 80,000 pupils
    upn = calc_check_digit(body) + body
    year = YEARS[n % len(YEARS)]
    dob = date(2020 - YEARS.index(year), 9, 1) + timedelta(days=rng.randrange(365))
    return (
        f"<Pupil><UPN>{upn}</UPN><Surname>{rng.choice(SURNAMES)}</Surname>"
        f"<Forename>{rng.choice(FORENAMES)}</Forename><DOB>{dob}</DOB>"
        f"<Gender>{rng.choice('MF')}</Gender><BasicDetails><NCyearActual>{year}</NCyearActual>"
        f"</BasicDetails>{_sen(rng)}</Pupil>"
    )


def make_ctf(pupils: int, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    rows = "".join(_pupil(n, rng) for n in range(pupils))
    return (
        '<?xml version="1.0" encoding="UTF-8"?><CTfile><Header><DocumentName>Common Transfer '
        f"File</DocumentName><CTFversion>21.0</CTFversion><SourceSchool><LEA>{LA}</LEA>"
        f"<Estab>{ESTAB}</Estab></SourceSchool></Header><CTFpupilData>{rows}</CTFpupilData>"
        "</CTfile>"
    ).encode()


def _timed_import(db, school_id: int, data: bytes) -> tuple[float, float, dict]:
    """Wall time, and this process's CPU time, which other load on the machine disturbs less."""
    from sync.mis.roster import import_roster

    started, cpu = time.perf_counter(), time.process_time()
    report = import_roster(db.session, school_id, data, "bench.xml")
    db.session.commit()
    return time.perf_counter() - started, time.process_time() - cpu, report


def run(pupils: int, database_url: str | None) -> dict:
    instance = tempfile.mkdtemp(prefix="roster-bench-")
    os.environ["INSTANCE_PATH"] = instance
    from flask_migrate import upgrade

    from server import create_app
    from server.extensions import db
    from server.models import School

    url = database_url or f"sqlite:///{instance}/bench.sqlite"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    data = make_ctf(pupils)
    with app.app_context():
        upgrade()
        school = School(name="Bench Primary", dfe_number=LA + ESTAB)
        db.session.add(school)
        db.session.commit()
        school_id = school.id
        db.session.info["actor"] = {"actor_id": None, "device_id": "bench"}
        cold, cold_cpu, first = _timed_import(db, school_id, data)
        db.session.expunge_all()  # the nightly re-run starts from an empty identity map too
        rerun, rerun_cpu, second = _timed_import(db, school_id, data)
        dialect = db.engine.dialect.name
    assert first["counts"]["created"] == pupils, first["counts"]
    assert second["counts"]["unchanged"] == pupils, second["counts"]
    return {
        "pupils": pupils,
        "cold_seconds": round(cold, 3),
        "rerun_seconds": round(rerun, 3),
        "cold_cpu_seconds": round(cold_cpu, 3),
        "rerun_cpu_seconds": round(rerun_cpu, 3),
        "database": dialect,
        "file_bytes": len(data),
        "sen_pupils": data.count(b"<SENhistory>"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pupils", type=int, default=1500)
    parser.add_argument("--database-url", help="An empty PostgreSQL database (default: SQLite)")
    args = parser.parse_args()
    print(json.dumps(run(args.pupils, args.database_url)))


if __name__ == "__main__":
    main()
