"""Real parts for tests/test_durability.py: a database of its own, the seeded bench school, a
gunicorn server that can be SIGKILLed and restarted on the same port, a tablet that keeps and
resends its ops, and a TCP proxy that loses responses.

The school and its ops come from bench/_seed.py and the server from bench/_server.py, so the
tests and the benchmark push the same realistic session records to the same kind of server.
"""

import asyncio
import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid

import requests
from sqlalchemy import create_engine, delete, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

BENCH = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bench")
if BENCH not in sys.path:
    sys.path.insert(0, BENCH)

import _seed  # noqa: E402
import _server  # noqa: E402

ROOT = _seed.ROOT
SCHOOL_DFE = "8209999"  # the school bench/_seed.py builds
BATCH = 100
# The groups start on 2026-09-08 and run 10 weeks. The first 30 school days (to 19 October)
# sit inside every group's run and before October half-term, and are all in the past.
SESSION_DAYS = _seed.school_days(count=30)


# --- databases -------------------------------------------------------------------------------


@contextlib.contextmanager
def own_database(tmp_path, label: str):
    """A database for one test only: a SQLite file, or, with TEST_DATABASE_URL set, a PostgreSQL
    database `durability_<pid>_<label>` on the same server, created here and dropped after (the
    shared test database is truncated by other tests)."""
    pg_url = os.environ.get("TEST_DATABASE_URL")
    if not pg_url:
        yield f"sqlite:///{tmp_path / 'durability.sqlite'}"
        return
    import psycopg

    name = f"durability_{os.getpid()}_{label}"
    parsed = make_url(_seed.sqlalchemy_url(pg_url))
    admin = parsed.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False
    )
    url = parsed.set(drivername="postgresql", database=name).render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def seed_school(url: str, instance_path: str, groups: int = 8) -> dict:
    """bench/_seed.py's school (one TA delivering `groups` groups of 6), with the real
    migrations. It sets INSTANCE_PATH for its own app; put the test process's value back."""
    before = os.environ.get("INSTANCE_PATH")
    try:
        with contextlib.redirect_stderr(sys.stdout):
            return _seed.migrate_and_seed(url, instance_path, groups=groups)
    finally:
        if before is None:
            os.environ.pop("INSTANCE_PATH", None)
        else:
            os.environ["INSTANCE_PATH"] = before


def session_batches(rng: random.Random, groups: dict, batches: int) -> list[list[dict]]:
    """bench/_seed.py's realistic session records from one device, device_seq 1, 2, 3 ...,
    each dated on a school day inside its group's run (see SESSION_DAYS)."""
    ops = _seed.session_ops(rng, groups, batches * BATCH, first_seq=1)
    for op in ops:
        op["entry"]["core"]["date"] = rng.choice(SESSION_DAYS).isoformat()
    return [ops[i : i + BATCH] for i in range(0, len(ops), BATCH)]


# --- the server ------------------------------------------------------------------------------


class AppServer:
    """gunicorn with deploy/gunicorn.conf.py (as bench/sync_push.py runs it) on one fixed
    127.0.0.1 port, so a restarted server answers at the address the tablet already knows."""

    def __init__(self, url: str, instance_path: str, log_path: str, workers: int = 2):
        self.url, self.instance_path, self.log_path = url, instance_path, log_path
        self.workers = workers
        self.port = _server.free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.child = None
        self.starts = 0
        self.kills = 0

    def start(self) -> None:
        self.child, _ = _server.app_server(
            "gunicorn", self.port, self.instance_path, self.url, self.workers, 1, self.log_path
        )
        self.starts += 1

    def alive(self) -> bool:
        return self.child is not None and self.child.proc.poll() is None

    def kill(self) -> None:
        """SIGKILL the whole process group (master and workers): no graceful anything."""
        child = self.child
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.proc.pid, signal.SIGKILL)
        child.proc.wait(timeout=10)
        child.stop()  # only closes its log now
        self.kills += 1

    def ensure_running(self) -> None:
        """What systemd or the operator does: a dead server is started again."""
        if not self.alive():
            self.start()

    def stop(self) -> None:
        if self.child is not None:
            self.child.stop()

    def log_tail(self) -> str:
        return _server.tail(self.log_path, 60)


def flask_cli(url: str, instance_path: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "FLASK_APP": "server", "DATABASE_URL": url, "INSTANCE_PATH": instance_path}
    return subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "flask"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- the tablet ------------------------------------------------------------------------------


class Tablet:
    """A device pushing its outbox as the PWA does: oldest batch first; a batch whose answer
    never arrives (network error, 5xx) is kept and the same bytes are sent again."""

    # No answer, or only part of one (headers, then the connection dropped mid-body).
    RETRYABLE = (
        requests.ConnectionError,
        requests.Timeout,
        requests.exceptions.ChunkedEncodingError,
    )

    def __init__(self, base: str, deadline: float, on_failure=lambda: None, max_attempts: int = 15):
        self.base, self.deadline = base, deadline
        self.on_failure, self.max_attempts = on_failure, max_attempts
        self.device_id = "durability-" + uuid.uuid4().hex[:16]
        self.http = None
        self.csrf = None
        self.in_flight = False
        self.lock = threading.Lock()  # held by a killer while it kills, see Killer
        self.failures = []  # (batch index, what went wrong) for every lost answer

    def _check_time(self, what: str) -> None:
        if time.monotonic() > self.deadline:
            raise AssertionError(f"out of time while {what}; failures so far: {self.failures}")

    def login(self) -> None:
        """Log in from scratch; a lost answer (the session may or may not exist) starts over
        with a fresh cookie jar."""
        for _attempt in range(self.max_attempts):
            self._check_time("logging in")
            if self.http is not None:
                self.http.close()
            self.http = requests.Session()
            self.http.headers["X-Device-Id"] = self.device_id
            try:
                csrf = self.http.get(f"{self.base}/api/v1/auth/csrf", timeout=30)
                csrf.raise_for_status()
                response = self.http.post(
                    f"{self.base}/api/v1/auth/login",
                    headers={"X-CSRF-Token": csrf.json()["csrf_token"]},
                    json={"email": _seed.TA_EMAIL, "password": _seed.TA_PASSWORD},
                    timeout=30,
                )
            except self.RETRYABLE as exc:
                self.failures.append(("login", repr(exc)))
                self.on_failure()
                continue
            assert response.status_code == 200, f"login: {response.status_code} {response.text}"
            self.csrf = response.json()["csrf_token"]
            return
        raise AssertionError(f"no login after {self.max_attempts} attempts: {self.failures}")

    def push(self, index: int, body: bytes) -> tuple[list[dict], int]:
        """Send one batch until an answer arrives; returns its results and the attempts made."""
        for attempt in range(1, self.max_attempts + 1):
            self._check_time(f"pushing batch {index}")
            with self.lock:
                self.in_flight = True
            try:
                response = self.http.post(
                    f"{self.base}/api/v1/sync/push",
                    data=body,
                    timeout=30,
                    headers={"Content-Type": "application/json", "X-CSRF-Token": self.csrf},
                )
            except self.RETRYABLE as exc:
                response, problem = None, repr(exc)
            finally:
                with self.lock:  # waits for a kill in progress to finish
                    self.in_flight = False
            if response is not None and response.status_code >= 500:
                problem = f"HTTP {response.status_code}"
                response = None
            if response is None:
                self.failures.append((index, problem))
                self.on_failure()
                time.sleep(0.02 * attempt)  # a short, growing back-off, as the PWA's
                continue
            assert response.status_code == 200, (
                f"batch {index}: HTTP {response.status_code} {response.text[:500]}"
            )
            return response.json()["results"], attempt
        raise AssertionError(
            f"batch {index} unanswered after {self.max_attempts} attempts: {self.failures}"
        )

    def close(self) -> None:
        if self.http is not None:
            self.http.close()


def body_of(device_id: str, ops: list[dict]) -> bytes:
    """Serialised once and kept: a retry sends exactly these bytes."""
    return json.dumps({"device_id": device_id, "ops": ops}).encode()


class Killer:
    """SIGKILLs the server while the tablet waits for an answer: after a delay (only if the
    tablet is still waiting then, so the kill lands mid-push, almost always before the commit),
    or as soon as a given op is committed (before or just after the answer reaches the tablet:
    the tablet either resends the batch and gets duplicates, or finds the server down)."""

    def __init__(self, server: AppServer, tablet: Tablet, url: str):
        self.server, self.tablet, self.url = server, tablet, url
        self.thread = self.mode = None
        self.stop = threading.Event()
        self.landed = False
        self.mid_push = None  # was the tablet still waiting for its answer when the kill came?

    def _start(self, mode: str, target, *args) -> None:
        self.mode = mode
        self.landed, self.mid_push = False, None
        self.stop.clear()
        self.thread = threading.Thread(target=target, args=args, daemon=True)
        self.thread.start()

    def arm_after(self, delay: float) -> None:
        self._start("delayed", self._after, delay)

    def arm_at_commit(self, op_id: str, timeout: float = 20) -> None:
        self._start("at_commit", self._at_commit, op_id, timeout)

    def _kill(self, only_mid_push: bool) -> None:
        with self.tablet.lock:
            if self.tablet.in_flight or not only_mid_push:
                self.mid_push = self.tablet.in_flight
                self.server.kill()
                self.landed = True

    def _after(self, delay: float) -> None:
        if not self.stop.wait(delay):
            self._kill(only_mid_push=True)

    def _at_commit(self, op_id: str, timeout: float) -> None:
        engine = create_engine(_seed.sqlalchemy_url(self.url))
        query = text("SELECT 1 FROM sync_ops WHERE op_id = :op_id")
        deadline = time.monotonic() + timeout
        try:
            with engine.connect() as conn:
                while time.monotonic() < deadline and not self.stop.is_set():
                    found = conn.execute(query, {"op_id": op_id}).first()
                    conn.rollback()  # a fresh snapshot for the next look
                    if found:
                        self._kill(only_mid_push=False)
                        return
                    time.sleep(0.001)
        finally:
            engine.dispose()

    def disarm(self, cancel: bool = False) -> None:
        """After the tablet has its answer: a delayed kill that has not fired is called off; a
        kill at commit is waited for (the commit is there to be seen). cancel calls off both."""
        if self.thread is None:
            return
        if cancel or self.mode == "delayed":
            self.stop.set()
        self.thread.join(timeout=30)
        self.thread = None


# --- the lossy network -----------------------------------------------------------------------


class LossyProxy:
    """An asyncio TCP proxy on 127.0.0.1: one HTTP request per client connection, forwarded to
    the server on a fresh connection (`Connection: close`); the whole answer is read, then with
    probability `drop_rate` the client connection is closed without it. The server has
    answered (and committed) every request whose response is dropped."""

    def __init__(self, upstream_port: int, drop_rate: float, seed: int):
        self.upstream_port, self.drop_rate = upstream_port, drop_rate
        self.rng = random.Random(seed)
        self.log = []  # (method, path, upstream status, dropped) per forwarded request
        self.port = None
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.ready = threading.Event()
        self.server = None
        self.error = None

    def start(self) -> None:
        self.thread.start()
        if not self.ready.wait(15) or self.port is None:
            raise RuntimeError(f"proxy did not start: {self.error!r}")

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.server = self.loop.run_until_complete(
                asyncio.start_server(self._handle, "127.0.0.1", 0)
            )
            self.port = self.server.sockets[0].getsockname()[1]
        except Exception as exc:  # reported by start()
            self.error = exc
            self.ready.set()
            return
        self.ready.set()
        self.loop.run_forever()
        self.server.close()
        self.loop.run_until_complete(self.server.wait_closed())
        self.loop.close()

    async def _handle(self, reader, writer) -> None:
        try:
            await asyncio.wait_for(self._forward(reader, writer), timeout=60)
        except (TimeoutError, asyncio.IncompleteReadError, ConnectionError) as exc:
            self.log.append(("?", "?", repr(exc), True))
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    async def _forward(self, reader, writer) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        request_line, *header_lines = head.decode("latin-1").split("\r\n")[:-2]
        method, path = request_line.split(" ")[:2]
        length = 0
        headers = []
        for line in header_lines:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
            if name.strip().lower() not in ("connection", "keep-alive"):
                headers.append(line)
        body = await reader.readexactly(length) if length else b""
        upstream = "\r\n".join([request_line, *headers, "Connection: close", "", ""])
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        try:
            up_writer.write(upstream.encode("latin-1") + body)
            await up_writer.drain()
            response = await up_reader.read()  # to EOF: the server closes after answering
        finally:
            up_writer.close()
            with contextlib.suppress(ConnectionError):
                await up_writer.wait_closed()
        status = response.split(b" ", 2)[1].decode() if response.startswith(b"HTTP/") else "?"
        dropped = self.rng.random() < self.drop_rate
        self.log.append((method, path, status, dropped))
        if not dropped:
            writer.write(response)
            await writer.drain()

    def stop(self) -> None:
        if self.thread.is_alive():
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=15)


# --- what landed -----------------------------------------------------------------------------


def stored_state(url: str, school_id: int, device_id: str) -> dict:
    """Entries, ops and projections as stored, read straight from the database."""
    from server.models import Entry, SyncOp
    from sync.merge.rebuild import projection_snapshot

    engine = create_engine(_seed.sqlalchemy_url(url))
    try:
        with Session(engine) as session:
            entries = session.execute(
                select(Entry.entry_id, Entry.rev, Entry.is_head).where(Entry.school_id == school_id)
            ).all()
            ops = session.execute(
                select(SyncOp.op_id, SyncOp.device_seq).where(SyncOp.device_id == device_id)
            ).all()
            all_ops = session.scalar(select(func.count()).select_from(SyncOp))
            return {
                "entries": entries,
                "ops": ops,
                "all_ops": all_ops,
                "projections": projection_snapshot(session, school_id),
            }
    finally:
        engine.dispose()


def clear_projections(url: str, school_id: int) -> None:
    """Delete the school's projection rows, so that only a rebuild can bring them back."""
    from server.models import EnrolmentStats, GroupStats, VoicePoint

    engine = create_engine(_seed.sqlalchemy_url(url))
    try:
        with Session(engine) as session, session.begin():
            for model in (GroupStats, EnrolmentStats, VoicePoint):
                session.execute(delete(model).where(model.school_id == school_id))
    finally:
        engine.dispose()
