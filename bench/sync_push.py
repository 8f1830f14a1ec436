"""Benchmark POST /api/v1/sync/push against the real server, and pouchdb-server for scale.

    .venv/bin/python bench/sync_push.py [--database-url postgresql://postgres@127.0.0.1:5432/send_bench]
        [--clients 1,8,32] [--batches N] [--skip-pouchdb] [--server gunicorn|waitress]

Makes a fresh instance folder and database (a PostgreSQL database named in --database-url is
dropped and re-created, and its name must contain "bench"), seeds one school with a TA who
delivers 40 groups of 6 pupils, starts the server as a subprocess on a free 127.0.0.1 port, and
pushes realistic session records in batches of 100 from 1, 8 and 32 concurrent clients (each its
own login, device_id and device_seq). Then posts the same documents with _bulk_docs to
pouchdb-server twice: --in-memory ("pouchdb"), and on disk in its default LevelDB store in the
temp folder ("pouchdb_disk"). ratio_vs_pouchdb_memory and ratio_vs_pouchdb_disk compare our
1-client entries/s with each (and *_per_cpu_second per CPU-second of the server process).
Prints one JSON object on stdout; progress goes to stderr.
"""

import argparse
import json
import math
import os
import random
import shutil
import sys
import tempfile
import threading
import time
import traceback

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _seed import (  # noqa: E402
    TA_EMAIL,
    TA_PASSWORD,
    log,
    migrate_and_seed,
    new_device_id,
    recreate_postgres,
    session_ops,
)
from _server import app_server, free_port, install_pouchdb_server, pouchdb_server, tail  # noqa: E402

BATCH = 100
AUTO_BATCH_TOTAL = 200  # with --batches unset: max(3, ceil(200 / clients)) batches per client
JSON_HEADERS = {"Content-Type": "application/json"}


def percentile(values: list[float], pct: float) -> float | None:
    """Nearest-rank percentile."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


class Load:
    """Runs `clients` threads, each pushing its own pre-serialised batches, starting together."""

    def __init__(self, clients: int, max_seconds: float):
        self.clients, self.max_seconds = clients, max_seconds
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.timeline: list[tuple[float, float]] = []  # (started, seconds) per batch
        self.ok = 0
        self.errors = 0
        self.http_errors = 0
        self.samples: list[str] = []
        self.barrier = threading.Barrier(clients + 1)
        self.deadline = None

    def error(self, count: int, sample: str, http: bool = False) -> None:
        with self.lock:
            self.errors += count
            self.http_errors += int(http)
            if len(self.samples) < 5 and sample not in self.samples:
                self.samples.append(sample)

    def record(self, started: float, seconds: float, ok: int) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.timeline.append((started, seconds))
            self.ok += ok

    def run(self, worker, payloads: list[list[bytes]], server=None) -> dict:
        threads = [
            threading.Thread(target=self._guard, args=(worker, i, payloads[i]), daemon=True)
            for i in range(self.clients)
        ]
        for thread in threads:
            thread.start()
        self.deadline = time.perf_counter() + self.max_seconds
        try:
            self.barrier.wait(timeout=120)
        except threading.BrokenBarrierError as err:
            raise RuntimeError("clients failed to get ready: " + "; ".join(self.samples)) from err
        # After the barrier: each client's login (a password hash, tens of milliseconds of
        # the server's CPU) is not part of what the pushes cost.
        cpu_before = server.cpu_seconds() if server else None
        start = time.perf_counter()
        for thread in threads:
            thread.join(self.max_seconds + 120)
        elapsed = time.perf_counter() - start
        cpu = server.cpu_seconds() - cpu_before if server else None
        return {
            "clients": self.clients,
            "batches": len(self.latencies),
            "batch_size": BATCH,
            "entries": self.ok,
            "seconds": round(elapsed, 3),
            "per_second": round(self.ok / elapsed, 1) if elapsed else None,
            "p50_ms": _ms(percentile(self.latencies, 50)),
            "p95_ms": _ms(percentile(self.latencies, 95)),
            "max_ms": _ms(max(self.latencies) if self.latencies else None),
            "errors": self.errors,
            "http_errors": self.http_errors,
            **(
                {
                    "server_cpu_seconds": round(cpu, 2),
                    "per_server_cpu_second": round(self.ok / cpu, 1) if cpu else None,
                }
                if server
                else {}
            ),
            **self._trend(),
            **({"error_samples": self.samples} if self.samples else {}),
        }

    def _trend(self) -> dict:
        """p50 of the first and last quarter of batches by start time: does latency grow as
        the tables fill up?"""
        ordered = [seconds for _, seconds in sorted(self.timeline)]
        if len(ordered) < 8:
            return {}
        quarter = len(ordered) // 4
        return {
            "p50_first_quarter_ms": _ms(percentile(ordered[:quarter], 50)),
            "p50_last_quarter_ms": _ms(percentile(ordered[-quarter:], 50)),
        }

    def _guard(self, worker, index: int, batches: list[bytes]) -> None:
        try:
            worker(self, index, batches)
        except Exception as exc:  # a client crash is an error for every op it had left
            self.error(BATCH, f"client crashed: {exc!r}")
            self.barrier.abort()


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


def login(base: str, device_id: str) -> tuple[requests.Session, str]:
    http = requests.Session()
    http.headers["X-Device-Id"] = device_id
    csrf = http.get(f"{base}/api/v1/auth/csrf", timeout=30).json()["csrf_token"]
    response = http.post(
        f"{base}/api/v1/auth/login",
        headers={"X-CSRF-Token": csrf},
        json={"email": TA_EMAIL, "password": TA_PASSWORD},
        timeout=30,
    )
    if response.status_code != 200:
        raise RuntimeError(f"login failed: HTTP {response.status_code} {response.text[:300]}")
    return http, response.json()["csrf_token"]


def push_worker(base: str):
    def worker(load: Load, index: int, batches: list[bytes]) -> None:
        http, csrf = login(base, load.device_ids[index])
        headers = {**JSON_HEADERS, "X-CSRF-Token": csrf}
        load.barrier.wait(timeout=120)
        for body in batches:
            if time.perf_counter() > load.deadline:
                break
            started = time.perf_counter()
            try:
                response = http.post(
                    f"{base}/api/v1/sync/push", data=body, headers=headers, timeout=120
                )
            except requests.RequestException as exc:
                load.error(BATCH, f"network error: {exc!r}", http=True)
                continue
            seconds = time.perf_counter() - started
            if response.status_code != 200:
                load.error(BATCH, f"HTTP {response.status_code}: {response.text[:400]}", http=True)
                continue
            results = response.json()["results"]
            accepted = sum(1 for r in results if r.get("status") == "accepted")
            load.record(started, seconds, accepted)
            if accepted != len(results) or len(results) != BATCH:
                bad = next((r for r in results if r.get("status") != "accepted"), None)
                load.error(BATCH - accepted, f"non-accepted result: {json.dumps(bad)[:400]}")

    return worker


def pouch_worker(base: str, db: str):
    def worker(load: Load, index: int, batches: list[bytes]) -> None:
        http = requests.Session()
        load.barrier.wait(timeout=120)
        for body in batches:
            if time.perf_counter() > load.deadline:
                break
            started = time.perf_counter()
            response = http.post(
                f"{base}/{db}/_bulk_docs", data=body, headers=JSON_HEADERS, timeout=120
            )
            seconds = time.perf_counter() - started
            if response.status_code not in (200, 201):
                load.error(BATCH, f"HTTP {response.status_code}: {response.text[:400]}", http=True)
                continue
            results = response.json()
            ok = sum(1 for r in results if r.get("ok") or (r.get("rev") and not r.get("error")))
            load.record(started, seconds, ok)
            if ok != BATCH:
                bad = next((r for r in results if not r.get("ok")), None)
                load.error(BATCH - ok, f"bulk_docs failure: {json.dumps(bad)[:300]}")

    return worker


def make_batches(rng: random.Random, groups: dict, clients: int, batches: int) -> list[list[list]]:
    """Per client, its batches of ops; device_seq rises from 1 across the client's batches."""
    out = []
    for _ in range(clients):
        ops = session_ops(rng, groups, batches * BATCH, first_seq=1)
        out.append([ops[i : i + BATCH] for i in range(0, len(ops), BATCH)])
    return out


def run_ours(
    base: str,
    groups: dict,
    clients: int,
    batches: int,
    max_seconds: float,
    rng: random.Random,
    server=None,
) -> tuple[dict, list]:
    plan = make_batches(rng, groups, clients, batches)
    load = Load(clients, max_seconds)
    load.device_ids = [new_device_id() for _ in range(clients)]
    bodies = [
        [json.dumps({"device_id": device, "ops": ops}).encode() for ops in client]
        for device, client in zip(load.device_ids, plan)
    ]
    result = load.run(push_worker(base), bodies, server)
    result["entries_per_second"] = result.pop("per_second")
    if "per_server_cpu_second" in result:
        result["entries_per_server_cpu_second"] = result.pop("per_server_cpu_second")
    result["batches_per_client"] = batches
    return result, plan


def run_pouch(base: str, plan: list, max_seconds: float, db: str, server=None) -> dict:
    response = requests.put(f"{base}/{db}", timeout=30)
    if response.status_code not in (201, 202):
        raise RuntimeError(f"create database {db}: HTTP {response.status_code} {response.text}")
    bodies = [
        [
            json.dumps(
                {"docs": [{"_id": op["entry"]["entry_id"], **op["entry"]} for op in ops]}
            ).encode()
            for ops in client
        ]
        for client in plan
    ]
    result = Load(len(plan), max_seconds).run(pouch_worker(base, db), bodies, server)
    result["docs_per_second"] = result.pop("per_second")
    if "per_server_cpu_second" in result:
        result["docs_per_server_cpu_second"] = result.pop("per_server_cpu_second")
    result.pop("http_errors", None)
    stored = requests.get(f"{base}/{db}", timeout=30).json().get("doc_count")
    result["doc_count"] = stored
    return result


def batches_for(clients: int, fixed: int | None) -> int:
    return fixed if fixed else max(3, math.ceil(AUTO_BATCH_TOTAL / clients))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        help="PostgreSQL URL of a database to drop and "
        "re-create (name must contain 'bench'); default a temp SQLite file",
    )
    parser.add_argument("--clients", default="1,8,32", help="comma-separated concurrency levels")
    parser.add_argument(
        "--batches",
        type=int,
        default=None,
        help="batches of 100 ops per client (default max(3, ceil(200/clients)))",
    )
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=30,
        help="stop starting new batches in a run after this long",
    )
    parser.add_argument("--skip-pouchdb", action="store_true")
    parser.add_argument("--server", choices=("gunicorn", "waitress"), default="gunicorn")
    # deploy/gunicorn.conf.py's own defaults: 2 x cores + 1 workers, one thread each.
    parser.add_argument("--workers", type=int, default=min(2 * (os.cpu_count() or 1) + 1, 9))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=20261102)
    parser.add_argument("--keep", action="store_true", help="keep the temp folder (logs, DB)")
    args = parser.parse_args()
    levels = [int(c) for c in args.clients.split(",") if c.strip()]

    tmp = tempfile.mkdtemp(prefix="send-bench-")
    instance = os.path.join(tmp, "instance")
    url = args.database_url or f"sqlite:///{os.path.join(tmp, 'bench.sqlite')}"
    output = {
        "database": "postgresql" if url.startswith("postgres") else "sqlite",
        "server": None,
        "ops_per_batch": BATCH,
        "cpus": os.cpu_count(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "runs": [],
    }
    rng = random.Random(args.seed)
    server = pouch = None
    plans = {}
    server_log = os.path.join(tmp, "server.log")
    try:
        if args.database_url:
            log("re-creating", url.rsplit("/", 1)[-1])
            recreate_postgres(url)
        log("migrating and seeding", output["database"])
        info = migrate_and_seed(url, instance)
        groups = info["groups"]
        output["seed"] = {
            "groups": len(groups),
            "pupils_per_group": len(next(iter(groups.values()))),
        }
        port = free_port()
        log(f"starting {args.server} on 127.0.0.1:{port}")
        server, output["server"] = app_server(
            args.server, port, instance, url, args.workers, args.threads, server_log
        )
        base = f"http://127.0.0.1:{port}"
        # Every worker thread serves a first request (imports, statement caches, connections)
        # before anything is timed, as on a server that has been up since the morning.
        warm_clients = args.workers * args.threads
        log(f"warm-up: {warm_clients} clients, 2 batches each")
        warm, _ = run_ours(base, groups, warm_clients, 2, args.max_seconds, rng)
        if warm["errors"]:
            output["warmup"] = warm
        for clients in levels:
            batches = batches_for(clients, args.batches)
            log(f"run: {clients} client(s) x {batches} batches of {BATCH}")
            result, plan = run_ours(base, groups, clients, batches, args.max_seconds, rng, server)
            log(
                f"  {result['entries_per_second']} entries/s, p50 {result['p50_ms']} ms, "
                f"p95 {result['p95_ms']} ms, errors {result['errors']}"
            )
            output["runs"].append(result)
            if clients in (1, 8):
                plans[clients] = plan
        server.stop()
        log_text = tail(server_log, 400)
        if "Traceback" in log_text or any(r["errors"] for r in output["runs"]):
            output["server_log_tail"] = tail(server_log, 80)

        if args.skip_pouchdb:
            output["pouchdb"] = output["pouchdb_disk"] = {"skipped": True}
        else:
            output["pouchdb"] = bench_pouch(
                plans, tmp, args.max_seconds, rng, groups, in_memory=True
            )
            output["pouchdb_disk"] = bench_pouch(
                plans, tmp, args.max_seconds, rng, groups, in_memory=False
            )
        ours = next((r for r in output["runs"] if r["clients"] == 1), None)
        for store, key in (("memory", "pouchdb"), ("disk", "pouchdb_disk")):
            theirs = output[key].get("docs_per_second")
            if ours and theirs:
                output[f"ratio_vs_pouchdb_{store}"] = round(ours["entries_per_second"] / theirs, 2)
            theirs_cpu = output[key].get("docs_per_server_cpu_second")
            if ours and theirs_cpu and ours.get("entries_per_server_cpu_second"):
                # Throughput per CPU-second of the server process: robust when the machine is
                # busy. (On PostgreSQL the database's own CPU is not counted; pouchdb is all in
                # one process.)
                output[f"ratio_vs_pouchdb_{store}_per_cpu_second"] = round(
                    ours["entries_per_server_cpu_second"] / theirs_cpu, 2
                )
        output["targets"] = targets(output)
        output["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
        return_code = 0
    except Exception as exc:
        log(traceback.format_exc())
        output["error"] = f"{type(exc).__name__}: {exc}"
        if os.path.exists(server_log):
            output["server_log_tail"] = tail(server_log, 80)
        return_code = 1
    finally:
        for child in (server, pouch):
            if child is not None:
                child.stop()
        if args.keep:
            log("kept", tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(output, indent=2))
    return return_code


def bench_pouch(
    plans: dict, tmp: str, max_seconds: float, rng, groups, in_memory: bool = True
) -> dict:
    """The same entry payloads, as CouchDB documents, via _bulk_docs in batches of 100: to
    pouchdb-server --in-memory, or with in_memory=False to its default LevelDB store on disk
    (in the temp folder, on the same file system as the SQLite database)."""
    store = "memory" if in_memory else "disk"
    try:
        cli = install_pouchdb_server()
    except Exception as exc:
        return {"store": store, "error": str(exc)}
    port = free_port()
    child = None
    try:
        log(f"starting pouchdb-server ({store}) on 127.0.0.1:{port}")
        child = pouchdb_server(cli, port, os.path.join(tmp, f"pouchdb-{store}"), in_memory)
        base = f"http://127.0.0.1:{port}"
        one = plans.get(1) or make_batches(rng, groups, 1, batches_for(1, None))
        # Warm the server (JIT, leveldown) on throwaway documents first.
        run_pouch(base, make_batches(rng, groups, 1, 10), max_seconds, "warmup")
        log(f"pouchdb ({store}): 1 client")
        result = run_pouch(base, one, max_seconds, "bench1", child)
        out = {
            "store": store,
            "clients": 1,
            "docs_per_second": result["docs_per_second"],
            "docs_per_server_cpu_second": result.get("docs_per_server_cpu_second"),
            "p50_ms": result["p50_ms"],
            "p95_ms": result["p95_ms"],
            "errors": result["errors"],
            "docs": result["entries"],
            "doc_count": result["doc_count"],
            "runs": [result],
        }
        if 8 in plans:
            log(f"pouchdb ({store}): 8 clients")
            out["runs"].append(run_pouch(base, plans[8], max_seconds, "bench8", child))
        return out
    except Exception as exc:
        log(traceback.format_exc())
        return {
            "store": store,
            "error": f"{type(exc).__name__}: {exc}",
            "log_tail": tail(child.log_path, 30) if child else "",
        }
    finally:
        if child is not None:
            child.stop()


def targets(output: dict) -> dict:
    by_clients = {r["clients"]: r for r in output["runs"]}
    best = max((r["entries_per_second"] or 0 for r in output["runs"]), default=0)
    one, eight = by_clients.get(1), by_clients.get(8)
    memory, disk = output.get("ratio_vs_pouchdb_memory"), output.get("ratio_vs_pouchdb_disk")
    return {
        "entries_per_second_ge_3000_at_1_client": bool(one and one["entries_per_second"] >= 3000),
        "entries_per_second_ge_3000_best": best >= 3000,
        "ratio_vs_pouchdb_memory_ge_1": None if memory is None else memory >= 1.0,
        "ratio_vs_pouchdb_disk_ge_1": None if disk is None else disk >= 1.0,
        "p95_lt_250ms_at_8_clients": None
        if not eight or eight["p95_ms"] is None
        else eight["p95_ms"] < 250,
        "no_errors": all(r["errors"] == 0 for r in output["runs"]),
    }


if __name__ == "__main__":
    sys.exit(main())
