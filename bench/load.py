"""Many schools' tablets at once: Locust against two app servers behind nginx, on PostgreSQL.

    .venv/bin/pip install -e '.[bench]'      # locust, outside the default install
    .venv/bin/python bench/load.py [--database-url postgresql://postgres@127.0.0.1:5432/bench_load]
        [--schools 20] [--devices 200] [--seconds 60] [--workers N]

Re-creates the database (its name must contain "bench"), seeds --schools schools, each with
--devices/--schools TAs who deliver two groups of six pupils each, then starts on 127.0.0.1:
two gunicorn app servers (deploy/gunicorn.conf.py, --workers each, one shared instance folder
as on a shared volume), and Debian's nginx in front with deploy/nginx.conf, its upstreams
pointed at them. Every tablet signs in and makes its first sync through the proxy first
("sign_in": a tablet keeps its session for days, so that is not what an afternoon is made of).
Then Locust (bench/_load_tablet.py) runs the --devices tablets headless for --seconds: each
pulls every 30 s, pushes 1-20 session records, reads a passport and its provision map, and
uploads a photo now and then. Prints one JSON object: requests/s, p50/p95/p99 per kind, errors,
each worker's peak RSS, and the CPU seconds of the app servers and of PostgreSQL's own
backends for this database during the measured run.
Everything it starts it stops. Progress goes to stderr.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _load_setup import FIRST_DAY, nginx_config, read_stats, seed, sign_in  # noqa: E402
from _seed import ROOT, log, recreate_postgres, sqlalchemy_url  # noqa: E402
from _server import Child, app_server, free_port, tail  # noqa: E402


def _stat_cpu(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(p) for p in fh.read().split()]
    except OSError:
        return []


def _rss_mb(pid: int, field: str = "VmRSS") -> float | None:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


class Sampler(threading.Thread):
    """Every half second: each gunicorn worker's RSS, and the CPU time of every PostgreSQL
    backend serving this database (first and last reading per backend, so a backend that
    connects late counts from when it was first seen)."""

    def __init__(self, masters: list[Child], url: str, database: str):
        super().__init__(daemon=True)
        self.masters, self.database = masters, database
        self.url = url
        self.peak: dict[int, float] = {}
        self.backends: dict[int, list[float]] = {}
        self.stopping = threading.Event()

    def run(self):
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self.stopping.wait(0.5):
                for master in self.masters:
                    for pid in _children(master.proc.pid):
                        rss = _rss_mb(pid)
                        if rss is not None:
                            self.peak[pid] = max(self.peak.get(pid, 0), rss)
                pids = conn.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> "
                    "pg_backend_pid()",
                    (self.database,),
                ).fetchall()
                for (pid,) in pids:
                    cpu = _stat_cpu(pid)
                    if cpu is not None:
                        self.backends.setdefault(pid, [cpu, cpu])[1] = cpu

    def worker_peaks(self) -> dict:
        """Peak RSS per worker: the kernel's high-water mark where the worker still lives."""
        for master in self.masters:
            for pid in _children(master.proc.pid):
                hwm = _rss_mb(pid, "VmHWM")
                if hwm is not None:
                    self.peak[pid] = max(self.peak.get(pid, 0), hwm)
        return self.peak

    def postgres_cpu(self) -> float:
        return round(sum(last - first for first, last in self.backends.values()), 2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/bench_load")
    parser.add_argument("--schools", type=int, default=20)
    parser.add_argument("--devices", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--spawn-rate", type=float, default=100, help="tablets started per second")
    # deploy/gunicorn.conf.py's own default for each app server: 2 x cores + 1, at most 9.
    parser.add_argument("--workers", type=int, default=min(2 * (os.cpu_count() or 1) + 1, 9))
    parser.add_argument("--keep", action="store_true", help="keep the temp folder (logs)")
    args = parser.parse_args()
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    locust = os.path.join(os.path.dirname(sys.executable), "locust")
    if not os.path.exists(locust):
        raise SystemExit("locust is not installed: .venv/bin/pip install -e '.[bench]'")
    if not os.path.exists(nginx):
        raise SystemExit("nginx is not installed: apt-get install nginx")

    tmp = tempfile.mkdtemp(prefix="send-load-")
    instance = os.path.join(tmp, "instance")
    url = args.database_url
    database = url.rsplit("/", 1)[-1]
    children: list[Child] = []
    output = {
        "database": "postgresql",
        "cpus": os.cpu_count(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "schools": args.schools,
        "devices": args.devices,
        "seconds": args.seconds,
    }
    try:
        log("re-creating", database)
        recreate_postgres(url)
        log(f"seeding {args.schools} schools")
        devices = seed(url, instance, args.schools, max(1, args.devices // args.schools))
        ports = [free_port(), free_port()]
        servers = []
        os.environ["PROXY_HOPS"] = "1"  # behind the one nginx, as compose.yaml sets it
        for n, port in enumerate(ports):
            log(f"starting app server {n + 1} on 127.0.0.1:{port}")
            child, label = app_server(
                "gunicorn",
                port,
                instance,
                url,
                args.workers,
                1,
                os.path.join(tmp, f"app{n + 1}.log"),
            )
            children.append(child)
            servers.append(child)
        output["app_servers"] = f"2 x {label}"
        front = free_port()
        conf = nginx_config(tmp, front, ports)
        proxy = Child([nginx, "-c", conf, "-p", tmp], os.path.join(tmp, "nginx.log"))
        children.append(proxy)
        base = f"http://127.0.0.1:{front}"
        proxy.wait_ready(base + "/api/v1/auth/csrf")
        output["proxy"] = (
            subprocess.run([nginx, "-v"], capture_output=True, text=True).stderr.strip()
            + ", deploy/nginx.conf"
        )
        log(f"signing in {len(devices)} tablets, each with its first sync")
        output["sign_in"] = sign_in(base, devices)
        devices_file = os.path.join(tmp, "devices.json")
        json.dump(devices, open(devices_file, "w"))
        sampler = Sampler(servers, sqlalchemy_url(url).replace("+psycopg", ""), database)
        sampler.start()
        log(f"locust: {args.devices} tablets for {args.seconds} s against {base}")
        prefix = os.path.join(tmp, "locust")
        started = time.monotonic()
        app_cpu_before = sum(s.cpu_seconds() for s in servers)
        run = subprocess.run(
            [
                locust,
                "-f",
                os.path.join(ROOT, "bench", "_load_tablet.py"),
                "--headless",
                "-u",
                str(args.devices),
                "-r",
                str(args.spawn_rate),
                "-t",
                f"{args.seconds}s",
                "--host",
                base,
                "--csv",
                prefix,
                "--only-summary",
                "--stop-timeout",
                "10",
                "--exit-code-on-error",
                "0",
            ],
            env={
                **os.environ,
                "LOAD_DEVICES": devices_file,
                "LOAD_FIRST_DAY": FIRST_DAY.isoformat(),
            },
            stdout=subprocess.DEVNULL,
            stderr=open(os.path.join(tmp, "locust.log"), "w"),
            cwd=ROOT,
        )
        output["wall_seconds"] = round(time.monotonic() - started, 1)
        output["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
        peaks = sampler.worker_peaks()
        sampler.stopping.set()
        sampler.join(5)
        if run.returncode != 0:
            raise RuntimeError(f"locust exited {run.returncode}:\n{tail(prefix + '.log')}")
        stats = read_stats(prefix)
        total = stats["total"] or {}
        output.update(
            {
                "requests": total.get("requests"),
                "requests_per_s": total.get("requests_per_s"),
                "errors": total.get("failures"),
                "per_kind": stats["per_kind"],
                "error_samples": stats["errors"][:10],
                "peak_rss_mb_per_worker": sorted(peaks.values(), reverse=True),
                "postgres_backend_cpu_seconds": sampler.postgres_cpu(),
                "app_server_cpu_seconds": round(
                    sum(s.cpu_seconds() for s in servers) - app_cpu_before, 2
                ),
            }
        )
    except Exception as exc:
        output["error"] = repr(exc)
        for child in children:
            log(f"--- {child.log_path}\n{tail(child.log_path, 30)}")
    finally:
        for child in reversed(children):
            child.stop()
        if args.keep:
            log("kept", tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(output, indent=2))
    return 1 if "error" in output else 0


if __name__ == "__main__":
    sys.exit(main())
