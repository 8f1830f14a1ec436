"""Separation of duties, the audit log and headers (issue 15, points 3 and 5): only the SENCO or
an existing DSL names a DSL, through any route, audited and shown to the other DSLs; the
database itself refuses to change the audit log; the SENCO and DSLs see who read or exported
which pupil's data; the passport print and API docs carry a CSP, HTTPS responses HSTS."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from server.extensions import db
from server.models import Staff
from tests.test_errors import assert_envelope


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET action = 'tampered'",
        "DELETE FROM audit_events",
    ],
)
def test_raw_sql_cannot_change_the_audit_log(app, api, statement):
    api("senco")  # a login writes an audit row
    with app.app_context():
        before = db.session.scalar(text("SELECT count(*) FROM audit_events"))
        assert before
        with pytest.raises(DatabaseError, match="append-only"):
            with db.engine.begin() as connection:
                connection.execute(text(statement))
        assert db.session.scalar(text("SELECT count(*) FROM audit_events")) == before
        assert not db.session.scalar(
            text("SELECT count(*) FROM audit_events WHERE action = 'tampered'")
        )


def is_dsl(app, staff_id) -> bool:
    with app.app_context():
        return db.session.get(Staff, staff_id).is_dsl


def test_no_staff_route_lets_an_admin_name_a_dsl(app, api, world):
    """Every POST, PUT and PATCH under /api/v1/staff, with is_dsl set, leaves the admin and
    the TA no DSL (the admin may only manage accounts)."""
    admin = api("admin")
    me, ta = world["home"]["staff"]["admin"]["id"], world["home"]["staff"]["ta"]["id"]
    # A temporary password takes no body (and would end the admin's own session).
    rules = [
        r
        for r in app.url_map.iter_rules()
        if r.rule.startswith("/api/v1/staff") and not r.rule.endswith("temporary-password")
    ]
    tried = 0
    for rule in rules:
        for method in sorted(rule.methods & {"POST", "PUT", "PATCH"}):
            for target in (me, ta):
                path = rule.rule.replace("<int:item_id>", str(target))
                body = {
                    "is_dsl": True,
                    "name": "Someone",
                    "email": f"x{tried}@home.example.org",
                    "role": "ta",
                }
                response = getattr(admin, method.lower())(path, json=body)
                assert response.status_code in (403, 422), (method, path, response.get_json())
                assert not is_dsl(app, me) and not is_dsl(app, ta)
                tried += 1
    assert tried >= 4 and not is_dsl(app, me) and not is_dsl(app, ta)


def test_designation_is_audited_and_shown_to_every_dsl(app, api, world):
    staff = world["home"]["staff"]
    ta, teacher = staff["ta"]["id"], staff["teacher"]["id"]
    assert_envelope(api("teacher").put(f"/api/v1/staff/{ta}/dsl", json={"is_dsl": True}), 403)
    assert_envelope(api("admin").put(f"/api/v1/staff/{ta}/dsl", json={"is_dsl": True}), 403)
    assert api("senco").put(f"/api/v1/staff/{ta}/dsl", json={"is_dsl": True}).status_code == 200
    # The new DSL sees who named them, and can name another.
    seen = api("ta").get("/api/v1/audit/designations").get_json()
    assert {d["id"] for d in seen["current"]} >= {ta, staff["senco"]["id"]}
    change = seen["changes"][0]
    assert (change["staff_id"], change["by_id"], change["is_dsl"]) == (
        ta,
        staff["senco"]["id"],
        True,
    )
    assert api("ta").put(f"/api/v1/staff/{teacher}/dsl", json={"is_dsl": True}).status_code == 200
    assert len(api("senco").get("/api/v1/audit/designations").get_json()["changes"]) == 2
    assert_envelope(api("admin").get("/api/v1/audit/designations"), 403)
    bad = api("senco").put(f"/api/v1/staff/{ta}/dsl", json={"is_dsl": "perhaps"})
    assert "is_dsl" in assert_envelope(bad, 422)["errors"]


def test_who_read_or_exported_a_pupils_data(app, api, world):
    pupil = world["home"]["pupils"][0]
    api("teacher").get(f"/api/v1/pupils/{pupil}/passport")
    api("senco").get(f"/api/v1/pupils/{pupil}/export")
    rows = api("senco").get(f"/api/v1/audit/pupil-data?pupil_id={pupil}").get_json()
    assert {(r["action"], r["actor_name"]) for r in rows} >= {
        ("read", "Home Teacher"),
        ("export", "Home Senco"),
    }
    exports = api("senco").get("/api/v1/audit/pupil-data?action=export").get_json()
    assert [r["action"] for r in exports] == ["export"]
    other = world["home"]["pupils"][4]
    assert api("senco").get(f"/api/v1/audit/pupil-data?pupil_id={other}").get_json() == []
    assert_envelope(api("teacher").get("/api/v1/audit/pupil-data"), 403)
    bad = api("senco").get("/api/v1/audit/pupil-data?action=peek&since=yesterday")
    assert set(assert_envelope(bad, 422)["errors"]) == {"action", "since"}
    # Another school's events never show.
    assert (
        api("senco", school="other").get(f"/api/v1/audit/pupil-data?pupil_id={pupil}").get_json()
        == []
    )


def test_passport_print_and_docs_carry_a_csp_and_https_gets_hsts(app, api, world):
    senco = api("senco")
    pupil = world["home"]["pupils"][0]
    for path in (f"/api/v1/pupils/{pupil}/passport/print", "/api/v1/docs"):
        response = senco.get(path)
        assert response.status_code == 200
        policy = response.headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "'sha256-" in policy and "script" not in policy
    assert "Strict-Transport-Security" not in senco.get("/api/v1/me").headers
    secure = senco.client.get("/api/v1/auth/csrf", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")
