"""Every error, whatever raised it, answers with one JSON envelope: {code, status, message, errors}."""

from datetime import date

import pytest
from flask import abort
from sqlalchemy import func, select
from werkzeug.exceptions import default_exceptions

from server.extensions import db
from server.models import AuditEvent, Term

ENVELOPE_KEYS = {"code", "status", "message", "errors"}
SECRET = "kaboom-internal-detail-42"


def assert_envelope(response, code: int) -> dict:
    """The response has this status and the one error shape; returns the body."""
    assert response.status_code == code, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == ENVELOPE_KEYS, body
    assert body["code"] == code
    assert isinstance(body["status"], str) and body["status"]
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["errors"], dict)
    return body


@pytest.fixture
def test_routes(app):
    """Routes that exist only in these tests; added before the app serves its first request."""

    def raise_code(code):
        abort(code)

    def write_then_explode():
        db.session.add(
            Term(
                school_id=_first_school(),
                name="Half written",
                starts_on=date(2027, 1, 4),
                ends_on=date(2027, 3, 26),
            )
        )
        db.session.flush()
        raise RuntimeError(SECRET)

    app.add_url_rule("/api/v1/test-only/abort/<int:code>", view_func=raise_code)
    app.add_url_rule("/test-only/abort/<int:code>", "page_abort", view_func=raise_code)
    app.add_url_rule("/api/v1/test-only/explode", view_func=write_then_explode)
    return app


def _first_school() -> int:
    from server.models import School

    return db.session.scalar(select(School.id).order_by(School.id))


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.mark.parametrize("code", sorted(default_exceptions))
def test_every_http_error_is_an_envelope(test_routes, code):
    response = test_routes.test_client().get(f"/api/v1/test-only/abort/{code}")
    body = assert_envelope(response, code)
    assert body["status"] == default_exceptions[code]().name


@pytest.mark.parametrize("code", [400, 404, 405, 413, 500])
def test_errors_outside_the_api_are_envelopes_too(test_routes, code):
    assert_envelope(test_routes.test_client().get(f"/test-only/abort/{code}"), code)


@pytest.mark.parametrize("path", ["/api/v1/no-such-thing", "/api/v2/pupils/", "/no/such/page"])
def test_unknown_paths_are_404_envelopes(client, path):
    body = assert_envelope(client.get(path), 404)
    assert body["errors"] == {}


def test_api_errors_are_not_cached(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_wrong_method_is_405_with_allow_header(api, world):
    response = api("senco").delete(f"/api/v1/pupils/{world['home']['pupils'][0]}")
    assert_envelope(response, 405)
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "PATCH"}


def test_unhandled_exception_is_500_without_a_trace(test_routes, world):
    response = test_routes.test_client().get("/api/v1/test-only/explode")
    body = assert_envelope(response, 500)
    text = response.get_data(as_text=True)
    assert SECRET not in text and "Traceback" not in text and "RuntimeError" not in text
    assert "Nothing was saved" in body["message"]


def test_unhandled_exception_rolls_back_the_write_and_its_audit_row(test_routes, world):
    audit_before = count(test_routes, AuditEvent)
    test_routes.test_client().get("/api/v1/test-only/explode")
    assert count(test_routes, Term, Term.name == "Half written") == 0
    assert count(test_routes, AuditEvent) == audit_before


def test_field_errors_are_keyed_by_field(api):
    body = assert_envelope(api("senco").post("/api/v1/terms/", json={"name": ""}), 422)
    assert set(body["errors"]) == {"name", "starts_on", "ends_on"}
    assert all(isinstance(m, list) and m for m in body["errors"].values())
