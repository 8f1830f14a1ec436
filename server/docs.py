"""A readable API docs page rendered on the server from the OpenAPI spec: no third-party script.

Also finishes the document once every blueprint is registered, with what holds for every
operation and so is declared here once rather than on each view: the error statuses the app's
own layers can answer (auth, CSRF, body parsing, the database), each with the one error
envelope (server/errors.py), and the shape of path parameters the URL converters cannot say."""

from http import HTTPStatus

from flask import render_template

from server.extensions import api

# Reachable without a login: nothing here can answer 401 or 403 for want of one.
PUBLIC = {("get", "/api/v1/auth/csrf")}
# Logins are limited per account and per address (server/login_limits.py).
LIMITED = {("post", "/api/v1/auth/login")}
WRITES = ("post", "put", "patch", "delete")
# Why each status can happen to an operation, whatever the operation does.
STATUSES = {
    400: "The body is not valid JSON, or is nested too deep.",
    401: "Not logged in, or the session has ended: log in again and resend.",
    403: "This role may not do this, the CSRF token is missing or wrong, pupil mode is on, "
    "or the password is temporary and must be changed first.",
    404: "No such record in this school, or not one this login may see.",
    413: "The body is larger than the server accepts.",
    415: "The body is not JSON (Content-Type: application/json).",
    422: "Some fields are not valid; `errors` maps each field to its messages.",
    429: "Too many failed logins: wait Retry-After seconds.",
    503: "The database is out of reach; nothing was saved. Retry after Retry-After seconds.",
}
# Path parameters whose shape the views check: the document says it so clients need not guess.
PATH_PATTERNS = {"sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"}}


def docs_page():
    return render_template("api_docs.html", spec=api.spec.to_dict())


def _response(status: int) -> dict:
    return {
        "description": STATUSES[status],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _statuses(method: str, path: str, operation: dict, path_params: bool) -> set[int]:
    statuses = {503}
    if (method, path) not in PUBLIC:
        statuses |= {401, 403}
    if (method, path) in LIMITED:
        statuses.add(429)
    if method in WRITES:
        statuses.add(403)  # CSRF
    if path_params:
        statuses.add(404)
    if "requestBody" in operation:
        json_body = "application/json" in operation["requestBody"].get("content", {})
        statuses |= {413, 422} | ({400, 415} if json_body else set())
    if operation.get("parameters") or path_params:
        statuses.add(422)
    return statuses


def finish_document(spec) -> None:
    for path, item in spec._paths.items():
        shared = item.get("parameters", [])
        for parameter in shared:
            if parameter.get("in") == "path" and parameter["name"] in PATH_PATTERNS:
                parameter["schema"] = dict(PATH_PATTERNS[parameter["name"]])
        for method, operation in item.items():
            if method == "parameters" or not isinstance(operation, dict):
                continue
            responses = operation.setdefault("responses", {})
            for code, response in responses.items():
                # OpenAPI requires one; a response declared with only its content had none,
                # and strict tools (client generators) refuse the whole document for it.
                if "$ref" not in response and code.isdigit():
                    response.setdefault("description", HTTPStatus(int(code)).phrase)
            has_path_params = bool(shared) or "{" in path
            for status in sorted(_statuses(method, path, operation, has_path_params)):
                responses.setdefault(str(status), _response(status))


def init_app(app) -> None:
    api.finishing(finish_document)
    app.add_url_rule("/api/v1/docs", "api_docs", docs_page)
