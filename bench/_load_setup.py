"""Setting up bench/load.py: the schools and their tablets, nginx's configuration, and
reading Locust's figures back."""

import contextlib
import csv
import os
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date

from _seed import FAST_HASH, ROOT, sqlalchemy_url

PASSWORD = "bench horse battery staple"
FIRST_DAY = date(2026, 10, 5)


def seed(url: str, instance: str, schools: int, tas: int) -> list[dict]:
    """Schools of `tas` TAs, each delivering two groups of six; returns one device per TA."""
    os.environ["INSTANCE_PATH"] = instance
    from flask_migrate import upgrade
    from werkzeug.security import generate_password_hash

    from server import create_app
    from server.extensions import db
    from server.models import Enrolment, Group, Intervention, Pupil, School, Staff, Term
    from tests.sync_support import add_test_templates

    app = create_app({"SQLALCHEMY_DATABASE_URI": sqlalchemy_url(url)})
    password_hash = generate_password_hash(PASSWORD, method=FAST_HASH)
    devices = []
    with app.app_context(), contextlib.redirect_stdout(sys.stderr):
        upgrade()
        for s in range(schools):
            school = School(name=f"Load School {s:02d}", dfe_number=f"820{5000 + s}")
            db.session.add(school)
            db.session.flush()
            db.session.add(
                Term(
                    school_id=school.id,
                    name="Autumn 2026",
                    starts_on=date(2026, 9, 3),
                    ends_on=date(2026, 12, 18),
                )
            )
            intervention = Intervention(
                school_id=school.id,
                name="Talk Boost",
                area_of_need="CI",
                measure_type="standardised_score",
            )
            db.session.add(intervention)
            for t in range(tas):
                ta = Staff(
                    school_id=school.id,
                    name=f"Load TA {s}-{t}",
                    email=f"ta{t}@load{s}.example.org",
                    role="ta",
                    password_hash=password_hash,
                )
                db.session.add(ta)
                db.session.flush()
                groups = {}
                for n in range(2):
                    group = Group(
                        school_id=school.id,
                        intervention_id=intervention.id,
                        name=f"Talk Boost {t}-{n}",
                        sessions_per_week=3,
                        minutes_per_session=30,
                        weeks=12,
                        ratio="1:6",
                        start_date=FIRST_DAY,
                        funding_source="notional_sen",
                        staff=[ta],
                        hourly_staff_cost_pence=1500,
                    )
                    pupils = [
                        Pupil(
                            school_id=school.id,
                            upn=f"L{s:03d}{t:03d}{n}{k:05d}",
                            forename=f"Pupil{t}{n}{k}",
                            surname=f"Loadson{s}",
                            dob=date(2016, 1 + k, 1 + t % 28),
                            gender="F" if k % 2 else "M",
                            year_group=str(3 + k % 4),
                        )
                        for k in range(6)
                    ]
                    db.session.add(group)
                    db.session.add_all(pupils)
                    db.session.flush()
                    db.session.add_all(
                        Enrolment(
                            school_id=school.id,
                            group_id=group.id,
                            pupil_id=p.id,
                            joined_on=FIRST_DAY,
                        )
                        for p in pupils
                    )
                    groups[group.id] = [p.id for p in pupils]
                devices.append(
                    {
                        "email": ta.email,
                        "password": PASSWORD,
                        "groups": groups,
                        "device_id": f"load-{s:02d}-{t:03d}-tablet",
                    }
                )
            db.session.commit()
            add_test_templates(school.id)
        db.session.remove()
        db.engine.dispose()
    return devices


def sign_in(base: str, devices: list[dict], threads: int = 4) -> dict:
    """Log every device in and give it its first sync, through the proxy, before the measured
    minute: a tablet signs in once and then keeps its session for days, so the minute measures
    what tablets do all afternoon. Each device gains its cookies, CSRF token and pull cursor;
    returns the sign-ins' own figures (login and first pull, seconds per device)."""
    import requests

    def one(device: dict) -> float:
        started = time.perf_counter()
        client = requests.Session()
        client.headers["X-Device-Id"] = device["device_id"]
        csrf = client.get(f"{base}/api/v1/auth/csrf").json()["csrf_token"]
        login = client.post(
            f"{base}/api/v1/auth/login",
            json={"email": device["email"], "password": device["password"]},
            headers={"X-CSRF-Token": csrf},
        )
        login.raise_for_status()
        cursor, more = None, True
        while more:
            pull = client.get(
                f"{base}/api/v1/sync/pull", params={"since": cursor} if cursor else {}
            )
            pull.raise_for_status()
            cursor, more = pull.json()["cursor"], pull.json()["more"]
        device.update(csrf=login.json()["csrf_token"], cookies=client.cookies.get_dict())
        device["cursor"] = cursor
        return time.perf_counter() - started

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        seconds = sorted(pool.map(one, devices))
    return {
        "devices": len(devices),
        "threads": threads,
        "wall_seconds": round(time.perf_counter() - started, 1),
        "p50_ms": round(1000 * seconds[len(seconds) // 2]),
        "p95_ms": round(1000 * seconds[int(len(seconds) * 0.95)]),
    }


def nginx_config(tmp: str, port: int, upstreams: list[int]) -> str:
    """deploy/nginx.conf as shipped, with its upstreams and listen address moved to 127.0.0.1,
    inside the smallest main context that runs it unprivileged in the temp folder."""
    site = open(os.path.join(ROOT, "deploy", "nginx.conf")).read()
    site = re.sub(r"server app1:8000", f"server 127.0.0.1:{upstreams[0]}", site)
    site = re.sub(r"server app2:8000", f"server 127.0.0.1:{upstreams[1]}", site)
    site = re.sub(r"listen 80;", f"listen 127.0.0.1:{port};", site)
    if site.count("127.0.0.1") != 3:
        raise SystemExit("deploy/nginx.conf changed shape: update bench/load.py's rewrite")
    temp = {name: os.path.join(tmp, f"nginx-{name}") for name in ("body", "proxy")}
    for path in temp.values():
        os.makedirs(path, exist_ok=True)
    conf = os.path.join(tmp, "nginx.conf")
    with open(conf, "w") as fh:
        fh.write(
            f"daemon off;\nworker_processes auto;\npid {tmp}/nginx.pid;\n"
            f"error_log {tmp}/nginx-error.log warn;\n"
            + ("user root;\n" if os.geteuid() == 0 else "")
            + "events { worker_connections 1024; }\nhttp {\n"
            f"  access_log off;\n  client_body_temp_path {temp['body']};\n"
            f"  proxy_temp_path {temp['proxy']};\n" + site + "\n}\n"
        )
    return conf


def read_stats(prefix: str) -> dict:
    kinds, total = {}, None
    with open(prefix + "_stats.csv") as fh:
        for row in csv.DictReader(fh):
            figures = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "requests_per_s": round(float(row["Requests/s"]), 2),
                "p50_ms": _num(row["50%"]),
                "p95_ms": _num(row["95%"]),
                "p99_ms": _num(row["99%"]),
                "max_ms": _num(row["Max Response Time"]),
            }
            if row["Name"] == "Aggregated":
                total = figures
            else:
                kinds[row["Name"]] = figures
    errors = []
    with contextlib.suppress(OSError), open(prefix + "_failures.csv") as fh:
        errors = [
            {"kind": r["Name"], "error": r["Error"][:300], "count": int(r["Occurrences"])}
            for r in csv.DictReader(fh)
        ]
    return {"total": total, "per_kind": kinds, "errors": errors}


def _num(text: str):
    try:
        return round(float(text), 1)
    except ValueError:
        return None
