"""One JSON error envelope, {code, status, message, errors}, for every error the app can raise."""

from flask import current_app, request
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException, InternalServerError

from server.extensions import db

# A lost connection, a refused one, a statement timeout (all OperationalError), a connection
# broken mid-use (InterfaceError), or no free connection in the pool (TimeoutError).
DB_UNAVAILABLE = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError)

FIELD_ERRORS_MESSAGE = "Some fields are not valid; see errors."


def envelope(code: int, status: str, message: str, errors: dict | None = None) -> dict:
    return {"code": code, "status": status, "message": message, "errors": errors or {}}


def _flatten(messages) -> dict:
    """webargs keys errors by location ({"json": {...}}); clients want field -> messages."""
    if not isinstance(messages, dict):
        return {"_schema": messages}
    flat: dict = {}
    for _location, fields in messages.items():
        if isinstance(fields, dict):
            flat.update(fields)
        else:
            flat.setdefault("_schema", []).extend(fields if isinstance(fields, list) else [fields])
    return flat


def handle_http_exception(error: HTTPException):
    data = getattr(error, "data", None) or {}
    errors = data.get("errors") or _flatten(data.get("messages") or {})
    message = data.get("message") or (FIELD_ERRORS_MESSAGE if errors else error.description)
    if error.code == 400 and errors.get("_schema") == ["Invalid JSON body."]:
        message = "The request body is not valid JSON."
    headers = dict(data.get("headers") or {})
    for name in ("Retry-After", "Allow", "WWW-Authenticate"):
        if error.get_headers() and dict(error.get_headers()).get(name):
            headers[name] = dict(error.get_headers())[name]
    return envelope(error.code, error.name, message, errors), error.code, headers


def handle_unexpected(error: Exception):
    """Roll back so nothing half-written survives, log the trace, and show no trace to the client."""
    db.session.rollback()
    current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
    server_error = InternalServerError()
    body = envelope(
        500, server_error.name, "Something went wrong on the server. Nothing was saved."
    )
    return body, 500


def handle_database_unavailable(error: Exception):
    """The database is out of reach, out of connections or too slow (server/pool.py): nothing
    was saved, and the client should retry. A device keeps its ops on a 5xx (DESIGN §5.1)."""
    try:
        db.session.rollback()
    except DB_UNAVAILABLE:
        pass  # the connection is gone; the pool replaces it on the next checkout
    current_app.logger.warning(
        "Database unavailable on %s %s: %s", request.method, request.path, error
    )
    body = envelope(
        503,
        "Service Unavailable",
        "The server cannot reach its database. Nothing was saved; try again shortly.",
    )
    return body, 503, {"Retry-After": "5"}


def init_app(app) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    for error in DB_UNAVAILABLE:
        app.register_error_handler(error, handle_database_unavailable)
    app.register_error_handler(Exception, handle_unexpected)
