"""Start and stop the servers the benchmark talks to: the real app under gunicorn or waitress,
and pouchdb-server, in memory or on disk, for comparison. Every child's output goes to a log
file."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time

import requests
from _seed import ROOT, log

POUCH_CACHE = os.environ.get("BENCH_POUCHDB_DIR", "/tmp/pouchdb-bench")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tail(path: str, lines: int = 60) -> str:
    try:
        with open(path, errors="replace") as fh:
            return "".join(fh.readlines()[-lines:])
    except OSError:
        return ""


class Child:
    """A subprocess in its own process group, with its output in a log file."""

    def __init__(
        self, argv: list[str], log_path: str, env: dict | None = None, cwd: str | None = None
    ):
        self.log_path = log_path
        self.log_file = open(log_path, "ab")
        self.proc = subprocess.Popen(
            argv,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=cwd,
            start_new_session=True,
        )

    def wait_ready(self, url: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"server exited with {self.proc.returncode}:\n{tail(self.log_path)}"
                )
            try:
                if requests.get(url, timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"server not ready after {timeout}s:\n{tail(self.log_path)}")

    def cpu_seconds(self) -> float:
        """User+system CPU of the child and its direct children (gunicorn's workers), from /proc.
        A contention-proof cost measure on a shared machine: it ignores time spent waiting."""
        tick = os.sysconf("SC_CLK_TCK")
        pids = [self.proc.pid]
        try:
            for task in os.listdir(f"/proc/{self.proc.pid}/task"):
                with open(f"/proc/{self.proc.pid}/task/{task}/children") as fh:
                    pids += [int(p) for p in fh.read().split()]
        except OSError:
            pass
        total = 0
        for pid in pids:
            try:
                with open(f"/proc/{pid}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])  # utime, stime
            except (OSError, IndexError, ValueError):
                pass
        return total / tick

    def stop(self) -> None:
        """SIGTERM to the child's own process group (gunicorn's master and workers), then KILL."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=15)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(timeout=5)
        self.log_file.close()


def app_server(
    kind: str,
    port: int,
    instance_path: str,
    database_url: str,
    workers: int,
    threads: int,
    log_path: str,
) -> tuple[Child, str]:
    """gunicorn runs with the shipped deploy/gunicorn.conf.py; workers and threads as given."""
    venv_bin = os.path.dirname(sys.executable)
    env = {
        **os.environ,
        "INSTANCE_PATH": instance_path,
        "DATABASE_URL": database_url,
        "PYTHONUNBUFFERED": "1",
        "GUNICORN_WORKERS": str(workers),
        "GUNICORN_THREADS": str(threads),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
    }
    if kind == "gunicorn":
        argv = [
            os.path.join(venv_bin, "gunicorn"),
            "-c",
            os.path.join(ROOT, "deploy", "gunicorn.conf.py"),
            "--graceful-timeout",
            "5",
            "server:create_app()",
        ]
        label = f"gunicorn -c deploy/gunicorn.conf.py, {workers} workers x {threads} threads"
    else:
        argv = [
            os.path.join(venv_bin, "waitress-serve"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            f"--threads={threads}",
            "--call",
            "server:create_app",
        ]
        label = f"waitress --threads {threads}"
    child = Child(argv, log_path, env=env, cwd=ROOT)
    child.wait_ready(f"http://127.0.0.1:{port}/api/v1/auth/csrf")
    return child, label


def install_pouchdb_server() -> str:
    """npm install pouchdb-server into a cached folder; returns the path of its CLI."""
    cli = os.path.join(POUCH_CACHE, "node_modules", ".bin", "pouchdb-server")
    if os.path.exists(cli):
        return cli
    npm = shutil.which("npm")
    if not npm:
        raise RuntimeError("npm is not installed")
    os.makedirs(POUCH_CACHE, exist_ok=True)
    package = os.path.join(POUCH_CACHE, "package.json")
    if not os.path.exists(package):
        with open(package, "w") as fh:
            fh.write('{"name": "pouchdb-bench", "private": true}\n')
    log("npm install pouchdb-server (cached in", POUCH_CACHE, "afterwards)")
    done = subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--loglevel=error", "pouchdb-server"],
        cwd=POUCH_CACHE,
        stdout=sys.stderr,
        stderr=subprocess.PIPE,
        text=True,
        timeout=600,
    )
    if done.returncode != 0 or not os.path.exists(cli):
        raise RuntimeError(
            f"npm install pouchdb-server failed ({done.returncode}): {done.stderr.strip()[-800:]}"
        )
    return cli


def pouchdb_server(cli: str, port: int, workdir: str, in_memory: bool = True) -> Child:
    """Bound to 127.0.0.1 only; config and log files stay in workdir. In memory, or with
    in_memory=False its default on-disk store (LevelDB), whose databases also go in workdir."""
    os.makedirs(workdir, exist_ok=True)
    argv = [
        cli,
        *(["--in-memory"] if in_memory else []),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-stdout-logs",
        "--no-color",
        "--config",
        os.path.join(workdir, "config.json"),
        "--dir",
        workdir,
    ]
    child = Child(argv, os.path.join(workdir, "pouchdb-server.out"), cwd=workdir)
    child.wait_ready(f"http://127.0.0.1:{port}/")
    return child
