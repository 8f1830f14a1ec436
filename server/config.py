"""Configuration from the environment, with safe development defaults."""

import os
import secrets

from schemas import jsonio
from server import pool


class Config:
    """Read once, inside create_app, never at import time of other modules."""

    def __init__(self, instance_path: str):
        default_db = "sqlite:///" + os.path.join(instance_path, "send.sqlite")
        self.SECRET_KEY = os.environ.get("SECRET_KEY") or _instance_secret(instance_path)
        self.SQLALCHEMY_DATABASE_URI = normalise_db_url(os.environ.get("DATABASE_URL", default_db))
        self.SQLALCHEMY_ENGINE_OPTIONS = {
            "json_serializer": jsonio.db_dumps,
            "json_deserializer": jsonio.loads,
        }
        # PostgreSQL's pool and timeouts, DB_* (server/pool.py says how to size them).
        for name, value in pool.settings_from_env().items():
            setattr(self, name, value)
        self.MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 12 * 1024 * 1024))
        self.MAX_JSON_BYTES = int(os.environ.get("MAX_JSON_BYTES", 2 * 1024 * 1024))
        self.ATTACHMENTS_DIR = os.environ.get("ATTACHMENTS_DIR") or os.path.join(
            instance_path, "attachments"
        )
        self.MAX_IMAGE_BYTES = int(os.environ.get("MAX_IMAGE_BYTES", 10 * 1024 * 1024))
        # Checked from the header before decoding; well above what tablets and phones save.
        self.MAX_IMAGE_PIXELS = int(os.environ.get("MAX_IMAGE_PIXELS", 40_000_000))
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "0") == "1"
        self.SESSION_LIFETIME_HOURS = int(os.environ.get("SESSION_LIFETIME_HOURS", 12))
        # A login ends SESSION_LIFETIME_HOURS after it began (the server's LoginSession says
        # so), so re-signing the cookie on every response would only cost time on every sync.
        self.SESSION_REFRESH_EACH_REQUEST = False
        self.PASSWORD_HASH_METHOD = os.environ.get("PASSWORD_HASH_METHOD", "scrypt")
        self.LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", 5))
        self.LOGIN_WINDOW_MINUTES = int(os.environ.get("LOGIN_WINDOW_MINUTES", 15))
        # Reverse proxies (nginx) in front whose X-Forwarded-For/Proto/Host to believe. 0 when
        # clients connect directly: then the headers are ignored, since anyone can send them.
        self.PROXY_HOPS = int(os.environ.get("PROXY_HOPS", 0))
        # Login limits beyond the account's (server/login_limits.py): failed logins one address
        # may make, as Flask-Limiter limits, in a store every app server shares.
        self.LOGIN_ADDRESS_LIMITS = os.environ.get(
            "LOGIN_ADDRESS_LIMITS", "20 per 15 minutes; 100 per day"
        )
        self.RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
        self.RATELIMIT_STRATEGY = "moving-window"
        self.KNOWN_DEVICE_DAYS = int(os.environ.get("KNOWN_DEVICE_DAYS", 180))
        # Pupil mode (server/pupil_mode.py): how long a grant lets a pupil add their voice, and
        # the PBKDF2 iterations a device hashes a new staff PIN with (tests set them low).
        self.PUPIL_MODE_MINUTES = int(os.environ.get("PUPIL_MODE_MINUTES", 45))
        self.PIN_KDF_ITERATIONS = int(os.environ.get("PIN_KDF_ITERATIONS", 600_000))
        # Strict-Transport-Security on every response the app serves over HTTPS (0: none).
        self.HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", 31_536_000))
        # Retention (sync/retention.py): a leaver's records go this many years after their
        # date of birth (IRMS toolkit for schools, SEN files: DOB + 31 years).
        self.RETENTION_YEARS_FROM_DOB = int(os.environ.get("RETENTION_YEARS_FROM_DOB", 31))
        # Backups (server/backup.py): where archives go, how many are kept, and the key.
        self.BACKUP_DIR = os.environ.get("BACKUP_DIR") or os.path.join(instance_path, "backups")
        self.BACKUP_KEEP = int(os.environ.get("BACKUP_KEEP", 14))
        self.BACKUP_KEY = os.environ.get("BACKUP_KEY", "")
        self.BACKUP_KDF_COST = int(os.environ.get("BACKUP_KDF_COST", 2**15))
        # The nightly MIS exchange (sync/mis, README "The nightly MIS sync").
        self.MIS_EXPORT_DIR = os.environ.get("MIS_EXPORT_DIR") or os.path.join(
            instance_path, "mis-export"
        )
        self.MIS_EXPORTS_KEPT = int(os.environ.get("MIS_EXPORTS_KEPT", 7))
        self.MIS_CONNECT_TIMEOUT = float(os.environ.get("MIS_CONNECT_TIMEOUT", 10))
        self.MIS_READ_TIMEOUT = float(os.environ.get("MIS_READ_TIMEOUT", 60))
        self.MIS_RETRIES = int(os.environ.get("MIS_RETRIES", 3))
        self.MIS_BACKOFF = float(os.environ.get("MIS_BACKOFF", 2))
        self.MIS_MAX_BYTES = int(os.environ.get("MIS_MAX_BYTES", 50 * 1024 * 1024))
        # A run started from the app answers with the finished run if it ends within this
        # many seconds, else 202 with the run still going (the PWA polls the run list).
        self.MIS_APP_WAIT_SECONDS = float(os.environ.get("MIS_APP_WAIT_SECONDS", 20))
        self.API_TITLE = "SEND evidence API"
        self.API_VERSION = "v1"
        self.OPENAPI_VERSION = "3.0.3"
        self.OPENAPI_URL_PREFIX = "/api/v1"
        self.OPENAPI_JSON_PATH = "openapi.json"
        self.API_SPEC_OPTIONS = {"info": {"description": API_DESCRIPTION}}
        # Compressed by the app itself (Flask-Compress), so a one-school install without a proxy
        # gets it: text only. Photos are already compressed, and gzip would only cost CPU.
        self.COMPRESS_MIMETYPES = COMPRESSED_TYPES
        self.COMPRESS_ALGORITHM = ["br", "gzip"]
        self.COMPRESS_ALGORITHM_STREAMING = ["br"]
        self.COMPRESS_BR_LEVEL = 4  # brotli's fast end: a 1 MB pull page costs ~10 ms
        self.COMPRESS_LEVEL = 6
        self.COMPRESS_MIN_SIZE = 1024  # below a packet or two, the headers cost more than it saves


COMPRESSED_TYPES = [
    "application/json",
    "application/manifest+json",
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "text/csv",
    "text/plain",
    "image/svg+xml",
]


API_DESCRIPTION = """Every error answers with one JSON envelope: `{code, status, message, errors}`,
where `errors` maps field names to lists of messages.

**Session and CSRF.** `GET /api/v1/auth/csrf` returns `{csrf_token}` and sets the session cookie.
Send that token in the `X-CSRF-Token` header on every POST, PUT, PATCH and DELETE, login included.
Login answers with a fresh token; use it from then on. A 401 means the session has ended (expired,
logged out, or the account changed): keep unsent work, log in again, then send it. The optional
`X-Device-Id` header names the device in the audit log."""


def normalise_db_url(url: str) -> str:
    """Use psycopg 3 for plain postgresql:// URLs, which SQLAlchemy would map to psycopg2."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _instance_secret(instance_path: str) -> str:
    """Keep a generated secret in the instance folder so restarts keep sessions valid."""
    path = os.path.join(instance_path, "secret_key")
    if not os.path.exists(path):
        os.makedirs(instance_path, exist_ok=True)
        with open(path, "w") as fh:
            fh.write(secrets.token_hex(32))
        os.chmod(path, 0o600)
    with open(path) as fh:
        return fh.read().strip()
