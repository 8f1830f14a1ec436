"""A stand-in MIS for the nightly tests: a real HTTP server on 127.0.0.1 in a thread, answering
each request with the next scripted behaviour, and helpers to set a school's MIS source."""

import http.server
import threading
import time
from dataclasses import dataclass, field

from sqlalchemy import select

from server.extensions import db
from server.models import MisSource, School


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    delay: float = 0.0  # seconds before the headers
    cut: int | None = None  # send only this many bytes of a body announced in full
    content_type: str = "application/xml"


@dataclass
class FakeMis:
    """Scripted replies, used in order; the last one repeats. Records what was asked."""

    replies: list[Reply] = field(default_factory=list)
    requests: list[tuple[str, str, dict, bytes]] = field(default_factory=list)
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/roster.xml"

    @property
    def export_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sen-export"

    def next(self) -> Reply:
        return self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]


def _handler(mis: FakeMis):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # keep the test output quiet
            pass

        def _answer(self, body_in: bytes) -> None:
            mis.requests.append((self.command, self.path, dict(self.headers), body_in))
            reply = mis.next()
            time.sleep(reply.delay)
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(reply.body)))
                if reply.cut is not None:
                    self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(reply.body if reply.cut is None else reply.body[: reply.cut])
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up first (a timeout test)
            if reply.cut is not None:
                self.close_connection = True

        def do_GET(self):
            self._answer(b"")

        def do_POST(self):
            self._answer(self.rfile.read(int(self.headers.get("Content-Length") or 0)))

    return Handler


def start_fake_mis(mis: FakeMis):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(mis))
    server.daemon_threads = True
    mis.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


def set_source(app, dfe_number: str, kind: str, location: str, **extra) -> None:
    with app.app_context():
        school = db.session.scalar(select(School).where(School.dfe_number == dfe_number))
        source = db.session.get(MisSource, school.id) or MisSource(school_id=school.id)
        source.roster_kind, source.roster_location = kind, location
        for name, value in extra.items():
            setattr(source, name, value)
        db.session.add(source)
        db.session.commit()
