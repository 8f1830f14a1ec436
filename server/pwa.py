"""Serve the progressive web app (pwa/) at /: the shell, its modules, and the service worker.

The service worker's VERSION line is replaced with a hash of the app files, so any change to the
shell gives a new versioned cache and the old one is deleted on activate; there is no build step.
"""
import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, abort, request

bp = Blueprint("pwa", __name__)

PWA_DIR = Path(__file__).resolve().parent.parent / "pwa"
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".webmanifest": "application/manifest+json",
    ".png": "image/png",
    ".svg": "image/svg+xml",
}
VERSION_LINE = "const VERSION = 'dev';"
# The app loads only its own code; inline SVG is drawn with DOM calls, never inline script.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
       "form-action 'self'")


def _app_files() -> list[Path]:
    return sorted(p for p in PWA_DIR.rglob("*") if p.is_file() and p.suffix in TYPES)


@lru_cache(maxsize=8)
def _version(stamp: tuple) -> str:
    digest = hashlib.sha256()
    for path in _app_files():
        digest.update(str(path.relative_to(PWA_DIR)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def app_version() -> str:
    """A hash of every app file; cached until any file's size or mtime changes."""
    return _version(tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in _app_files()))


def _send(relative: str, body: bytes | None = None) -> Response:
    path = (PWA_DIR / relative).resolve()
    if PWA_DIR not in path.parents or path.suffix not in TYPES or not path.is_file():
        abort(404)
    response = Response(path.read_bytes() if body is None else body, mimetype=None,
                        content_type=TYPES[path.suffix])
    # The service worker caches the shell by version; the browser must always revalidate.
    response.headers["Cache-Control"] = "no-cache"
    if path.suffix == ".html":
        response.headers["Content-Security-Policy"] = CSP
    return response


@bp.get("/")
def index():
    return _send("index.html")


@bp.get("/sw.js")
def service_worker():
    source = (PWA_DIR / "sw.js").read_text()
    response = _send("sw.js", source.replace(VERSION_LINE, f"const VERSION = '{app_version()}';").encode())
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/app.css")
@bp.get("/manifest.webmanifest")
def shell_file():
    return _send(request.path.lstrip("/"))


@bp.get("/js/<path:name>")
def script(name):
    return _send(f"js/{name}")


@bp.get("/icons/<path:name>")
def icon(name):
    return _send(f"icons/{name}")


def init_app(app) -> None:
    app.register_blueprint(bp)
