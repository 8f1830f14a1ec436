"""What one push of 100 session records costs the server, in CPU instructions: a figure that
stays put while wall-clock ones move ±15% with whatever else the machine is doing.

    .venv/bin/python bench/push_cost.py [--batches 20] [--wall]
        [--database-url postgresql://postgres@127.0.0.1:5432/send_bench_cost]

Seeds a fresh SQLite school (as bench/sync_push.py does; or a PostgreSQL database named in
--database-url, dropped and re-created, whose name must contain "bench": then the count is the
app's side only, since the database server is another process), then pushes realistic batches through
the Flask test client: the whole request, login check to JSON response, with no HTTP server.
Re-runs itself under valgrind's callgrind, counting only the measured batches (after five to
warm up), and prints one JSON object. Two runs of the same code agree within 0.2%, so an A/B
of a change needs one run each. --wall skips valgrind and reports milliseconds per batch.
"""

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _seed import TA_EMAIL, TA_PASSWORD, log, new_device_id, session_ops  # noqa: E402

WARM_UP = 5
UNDER_VALGRIND = "PUSH_COST_UNDER_VALGRIND"


def pushes(batches: int, instance: str, database_url: str | None):
    """A logged-in test client and the request bodies: WARM_UP + batches of 100 ops."""
    from _seed import migrate_and_seed, recreate_postgres, sqlalchemy_url

    url = database_url or f"sqlite:///{instance}/bench.db"
    if database_url:
        recreate_postgres(url)
    info = migrate_and_seed(url, instance)
    from server import create_app

    client = create_app({"SQLALCHEMY_DATABASE_URI": sqlalchemy_url(url)}).test_client()
    device = new_device_id()
    client.environ_base["HTTP_X_DEVICE_ID"] = device
    csrf = client.get("/api/v1/auth/csrf").get_json()["csrf_token"]
    login = client.post(
        "/api/v1/auth/login",
        headers={"X-CSRF-Token": csrf},
        json={"email": TA_EMAIL, "password": TA_PASSWORD},
    )
    headers = {"Content-Type": "application/json", "X-CSRF-Token": login.get_json()["csrf_token"]}
    ops = session_ops(random.Random(1), info["groups"], (WARM_UP + batches) * 100, first_seq=1)
    bodies = [
        json.dumps({"device_id": device, "ops": ops[i : i + 100]}).encode()
        for i in range(0, len(ops), 100)
    ]

    def push(body: bytes) -> None:
        response = client.post("/api/v1/sync/push", data=body, headers=headers)
        results = response.get_json()["results"]
        if response.status_code != 200 or any(r["status"] != "accepted" for r in results):
            raise SystemExit(f"push failed: {response.status_code} {response.data[:300]!r}")

    return push, bodies


def measure(batches: int, instance: str, wall: bool, database_url: str | None) -> list[float]:
    push, bodies = pushes(batches, instance, database_url)
    for body in bodies[:WARM_UP]:
        push(body)
    if not wall:
        subprocess.run(
            ["callgrind_control", "--instr=on", str(os.getpid())],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    seconds = []
    for body in bodies[WARM_UP:]:
        started = time.perf_counter()
        push(body)
        seconds.append(time.perf_counter() - started)
    if not wall:
        subprocess.run(
            ["callgrind_control", "--instr=off", str(os.getpid())],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return seconds


def under_valgrind(batches: int, tmp: str, database_url: str | None) -> dict:
    out = os.path.join(tmp, "callgrind.out")
    argv = [
        "valgrind",
        "--tool=callgrind",
        "--instr-atstart=no",
        f"--callgrind-out-file={out}",
        sys.executable,
        os.path.abspath(__file__),
        "--batches",
        str(batches),
        *(["--database-url", database_url] if database_url else []),
    ]
    log("running under callgrind (about 2.5 s per batch)")
    done = subprocess.run(
        argv,
        env={**os.environ, UNDER_VALGRIND: tmp},
        capture_output=True,
        text=True,
    )
    total = re.search(r"Collected\s*:\s*(\d+)", done.stderr) or re.search(
        r"I\s+refs:\s+([\d,]+)", done.stderr
    )
    if done.returncode != 0 or not total:
        raise SystemExit(f"callgrind run failed ({done.returncode}): {done.stderr[-2000:]}")
    instructions = int(total.group(1).replace(",", ""))
    return {
        "database": "postgresql" if database_url else "sqlite",
        "batches": batches,
        "ops_per_batch": 100,
        "instructions_per_batch": round(instructions / batches),
        "instructions_per_entry": round(instructions / batches / 100),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batches", type=int, default=20)
    parser.add_argument("--wall", action="store_true", help="no valgrind: milliseconds per batch")
    parser.add_argument("--database-url", help="PostgreSQL instead of SQLite (name has 'bench')")
    args = parser.parse_args()
    if os.environ.get(UNDER_VALGRIND):
        measure(args.batches, os.environ[UNDER_VALGRIND], False, args.database_url)
        return 0
    if not args.wall and not shutil.which("valgrind"):
        raise SystemExit("valgrind is not installed (apt-get install valgrind), or use --wall")
    tmp = tempfile.mkdtemp(prefix="push-cost-")
    try:
        if args.wall:
            seconds = sorted(measure(args.batches, tmp, True, args.database_url))
            result = {
                "database": "postgresql" if args.database_url else "sqlite",
                "batches": args.batches,
                "ops_per_batch": 100,
                "ms_per_batch_min": round(seconds[0] * 1000, 2),
                "ms_per_batch_median": round(seconds[len(seconds) // 2] * 1000, 2),
            }
        else:
            result = under_valgrind(args.batches, tmp, args.database_url)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
