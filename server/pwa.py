"""Serve the progressive web app (pwa/) at /: the shell, its modules, and the service worker.

The service worker's VERSION line is replaced with a hash of the app files, so any change to the
shell gives a new versioned cache and the old one is deleted on activate; there is no build step.

Optional OpenMoji symbols (server/symbols.py installs them into pwa/vendor/openmoji, gitignored)
are served under /symbols/openmoji/. They are not part of the shell or its hash: a fresh clone
without them works, and pupil mode falls back to the app's own faces.
"""

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, request

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
VENDOR = "vendor"  # set-up-time third-party files: not the shell, not in its hash
SYMBOL_TYPES = {
    ".svg": "image/svg+xml",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
}
# A symbol opened on its own must not be able to run anything, whatever the file holds.
SYMBOL_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
VERSION_LINE = "const VERSION = 'dev';"
# The app loads only its own code; inline SVG is drawn with DOM calls, never inline script.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)


def pwa_dir() -> Path:
    """PWA_DIR, unless the app config names another copy (the update-flow browser test does)."""
    return Path(current_app.config.get("PWA_DIR") or PWA_DIR).resolve()


def _app_files(root: Path) -> list[Path]:
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and p.suffix in TYPES and p.relative_to(root).parts[0] != VENDOR
    )


@lru_cache(maxsize=8)
def _version(root: Path, stamp: tuple) -> str:
    digest = hashlib.sha256()
    for path in _app_files(root):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def app_version() -> str:
    """A hash of every app file; cached until any file's size or mtime changes."""
    root = pwa_dir()
    return _version(
        root, tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in _app_files(root))
    )


def _send(relative: str, body: bytes | None = None) -> Response:
    root = pwa_dir()
    path = (root / relative).resolve()
    if (
        root not in path.parents
        or path.suffix not in TYPES
        or not path.is_file()
        or path.relative_to(root).parts[0] == VENDOR
    ):
        abort(404)
    response = Response(
        path.read_bytes() if body is None else body, mimetype=None, content_type=TYPES[path.suffix]
    )
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
    source = (pwa_dir() / "sw.js").read_text()
    response = _send(
        "sw.js", source.replace(VERSION_LINE, f"const VERSION = '{app_version()}';").encode()
    )
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


def openmoji_dir() -> Path:
    return Path(current_app.config.get("OPENMOJI_DIR") or pwa_dir() / VENDOR / "openmoji").resolve()


@bp.get("/symbols/openmoji/<name>")
def openmoji(name):
    """A set-up-installed OpenMoji file; 404 when not installed, and the app uses its own faces."""
    root = openmoji_dir()
    path = (root / name).resolve()
    if path.parent != root or path.suffix not in SYMBOL_TYPES or not path.is_file():
        abort(404)
    response = Response(path.read_bytes(), content_type=SYMBOL_TYPES[path.suffix])
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Content-Security-Policy"] = SYMBOL_CSP
    return response


def init_app(app) -> None:
    app.register_blueprint(bp)
