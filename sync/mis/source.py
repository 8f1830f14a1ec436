"""Roster in from where the school's MIS puts it, and the export out to an HTTP endpoint.

A file drop is read from its path. An HTTP source is fetched with requests: the auth header
from the environment (never stored in the database), connect and read timeouts, retries with
exponential backoff through urllib3's Retry (connection errors, 429 and 5xx answers), a size
limit checked while reading, and TLS verification always on. Plain http is accepted only on
this machine's own loopback address. Every failure is a SourceError whose message a SENCO or
technician can act on.
"""

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3 import exceptions as urllib3_exceptions
from urllib3.util.retry import Retry

RETRY_STATUSES = (429, 500, 502, 503, 504)
CHUNK = 64 * 1024


class SourceError(Exception):
    """The roster could not be fetched, or the export not delivered; the message says why."""


@dataclass(frozen=True)
class Settings:
    export_root: str
    exports_kept: int = 7
    connect_timeout: float = 10
    read_timeout: float = 60
    retries: int = 3
    backoff: float = 2
    max_bytes: int = 50 * 1024 * 1024

    @classmethod
    def from_config(cls, config) -> "Settings":
        return cls(
            export_root=config["MIS_EXPORT_DIR"],
            exports_kept=config["MIS_EXPORTS_KEPT"],
            connect_timeout=config["MIS_CONNECT_TIMEOUT"],
            read_timeout=config["MIS_READ_TIMEOUT"],
            retries=config["MIS_RETRIES"],
            backoff=config["MIS_BACKOFF"],
            max_bytes=config["MIS_MAX_BYTES"],
        )


def url_problem(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return None
    if parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost", "::1"):
        return None
    return f"{url!r} is not an https:// address; pupil data only travels encrypted."


def auth_headers(header: str, env_name: str | None) -> dict:
    if not env_name:
        return {}
    value = os.environ.get(env_name)
    if not value:
        raise SourceError(
            f"The environment variable {env_name}, which holds the MIS password or token, "
            "is not set on this server."
        )
    return {header: value}


def read_file(path: str, settings: Settings) -> tuple[str, bytes]:
    try:
        size = os.path.getsize(path)
        if size > settings.max_bytes:
            raise SourceError(_too_big(path, settings))
        with open(path, "rb") as fh:
            return os.path.basename(path), fh.read()
    except FileNotFoundError:
        raise SourceError(
            f"There is no roster file at {path}. Check that the MIS wrote its export there."
        ) from None
    except OSError as exc:
        raise SourceError(f"The roster file {path} cannot be read: {exc.strerror}.") from None


def _too_big(where: str, settings: Settings) -> str:
    return (
        f"The roster from {where} is larger than the {settings.max_bytes // (1024 * 1024)} MB "
        "limit (MIS_MAX_BYTES), so it was not read."
    )


def _session(settings: Settings) -> requests.Session:
    retry = Retry(
        total=settings.retries,
        connect=settings.retries,
        read=settings.retries,
        status=settings.retries,
        backoff_factor=settings.backoff,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET", "POST"}),  # the export POST is idempotent too
        raise_on_status=False,
    )
    session = requests.Session()
    session.mount("https://", HTTPAdapter(max_retries=retry))
    session.mount("http://", HTTPAdapter(max_retries=retry))
    return session


def _refused(response: requests.Response, what: str) -> SourceError:
    code = f"HTTP {response.status_code} {response.reason or ''}".strip()
    if response.status_code in (401, 403):
        return SourceError(
            f"The MIS refused the credentials for {what} ({code}). Check the token in the "
            "environment variable named in this school's MIS set-up."
        )
    return SourceError(f"The MIS answered {code} for {what}, after retrying.")


def _body(response: requests.Response, url: str, settings: Settings) -> bytes:
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > settings.max_bytes:
        raise SourceError(_too_big(url, settings))
    chunks, size = [], 0
    for chunk in response.iter_content(CHUNK):
        size += len(chunk)
        if size > settings.max_bytes:
            raise SourceError(_too_big(url, settings))
        chunks.append(chunk)
    return b"".join(chunks)


def _filename(response: requests.Response, url: str) -> str:
    """A name for format detection: the server's, the URL's, or the content type's."""
    disposition = response.headers.get("Content-Disposition", "")
    if "filename=" in disposition:
        return disposition.split("filename=", 1)[1].strip().strip('"')
    last = urlsplit(url).path.rsplit("/", 1)[-1]
    if last.lower().endswith((".xml", ".csv")):
        return last
    kind = response.headers.get("Content-Type", "")
    return "roster.csv" if "csv" in kind else "roster.xml" if "xml" in kind else last


def _timed_out(exc: Exception) -> bool:
    """Also a read timeout after the last retry, which requests reports as a ConnectionError
    wrapping urllib3's MaxRetryError."""
    if isinstance(exc, requests.exceptions.Timeout):
        return True
    reason = getattr(exc.args[0] if exc.args else None, "reason", None)
    return isinstance(reason, urllib3_exceptions.TimeoutError)


def _network(url: str, exc: Exception) -> SourceError:
    if _timed_out(exc):
        return SourceError(f"The MIS at {url} did not answer in time, after retrying.")
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return SourceError(f"The roster from {url} was cut off before its end.")
    if isinstance(exc, requests.exceptions.SSLError):
        return SourceError(f"The MIS at {url} did not present a certificate this server trusts.")
    return SourceError(f"The MIS at {url} could not be reached ({type(exc).__name__}).")


def fetch(url: str, headers: dict, settings: Settings) -> tuple[str, bytes]:
    timeout = (settings.connect_timeout, settings.read_timeout)
    try:
        with _session(settings) as session:
            with session.get(url, headers=headers, timeout=timeout, stream=True) as response:
                if response.status_code >= 400:
                    raise _refused(response, "the roster")
                return _filename(response, url), _body(response, url, settings)
    except requests.exceptions.RequestException as exc:
        raise _network(url, exc) from None


def deliver(url: str, headers: dict, data: bytes, settings: Settings) -> None:
    """POST the export (a ZIP) to the school's endpoint."""
    timeout = (settings.connect_timeout, settings.read_timeout)
    headers = {**headers, "Content-Type": "application/zip"}
    try:
        with _session(settings) as session:
            response = session.post(url, headers=headers, data=data, timeout=timeout)
            if response.status_code >= 400:
                raise _refused(response, "the export")
    except requests.exceptions.RequestException as exc:
        raise _network(url, exc) from None
