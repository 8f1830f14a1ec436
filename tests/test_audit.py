"""The audit log: every write with actor, device and changed field names; append-only; scoped."""

from datetime import date

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from server.extensions import db
from server.models import AuditEvent, Pupil, Term
from server.models.audit import AuditLogIsAppendOnly
from tests.test_errors import assert_envelope

DEVICE_ID = "tablet-7f3a"


def device() -> dict:
    """Fresh headers each call: the ApiClient adds its CSRF token to the dict it is given."""
    return {"X-Device-Id": DEVICE_ID}


VALID_UPN = "P207000016049"


def events(app, **where) -> list[dict]:
    """Audit rows matching these column values, oldest first, as plain dicts."""
    with app.app_context():
        query = select(AuditEvent).filter_by(**where).order_by(AuditEvent.id)
        return [
            {c.name: getattr(e, c.name) for c in AuditEvent.__table__.columns}
            for e in db.session.scalars(query)
        ]


def audit_total(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEvent))


def new_term(name="Summer 2027") -> dict:
    return {"name": name, "starts_on": "2027-04-19", "ends_on": "2027-07-21"}


@pytest.fixture
def senco(api):
    return api("senco")


def senco_id(world) -> int:
    return world["home"]["staff"]["senco"]["id"]


# --- writes through the API -------------------------------------------------------------------


def test_create_is_audited_with_actor_and_device(senco, world, app):
    response = senco.post("/api/v1/terms/", json=new_term(), headers=device())
    term_id = response.get_json()["id"]
    [row] = events(app, resource="terms", resource_id=str(term_id))
    assert row["action"] == "create"
    assert row["actor_id"] == senco_id(world)
    assert row["device_id"] == DEVICE_ID
    assert row["school_id"] == world["home"]["school"]
    assert row["at"] is not None


def test_update_records_changed_field_names_not_values(senco, world, app):
    pupil = world["home"]["pupils"][1]
    response = senco.patch(
        f"/api/v1/pupils/{pupil}",
        headers=device(),
        json={"preferred_name": "Secret Nickname", "eal": True},
    )
    assert response.status_code == 200
    [row] = [
        e for e in events(app, resource="pupils", resource_id=str(pupil)) if e["action"] == "update"
    ]
    assert set(row["detail"]["fields"]) >= {"preferred_name", "eal"}
    assert "Secret Nickname" not in repr(row)
    assert (row["actor_id"], row["device_id"]) == (senco_id(world), DEVICE_ID)


def test_patch_that_changes_nothing_writes_no_update_row(senco, world, app):
    term = world["home"]["spare"]["term"]
    before = audit_total(app)
    assert senco.patch(f"/api/v1/terms/{term}", json={"name": "Autumn 2026"}).status_code == 200
    assert audit_total(app) == before


def test_delete_is_audited(senco, world, app):
    term = world["home"]["spare"]["term"]
    assert senco.delete(f"/api/v1/terms/{term}", headers=device()).status_code == 204
    [row] = events(app, resource="terms", resource_id=str(term), action="delete")
    assert row["actor_id"] == senco_id(world)


def test_child_rows_are_audited_with_the_write(senco, world, app):
    body = {
        "upn": VALID_UPN,
        "forename": "New",
        "surname": "Starter",
        "dob": "2017-03-01",
        "gender": "F",
        "year_group": "4",
        "sen_history": [{"code": "K", "start_date": "2025-09-03"}],
        "needs": [{"need_type": "ASD", "rank": 1}],
    }
    assert senco.post("/api/v1/pupils/", json=body).status_code == 201
    created = {e["resource"] for e in events(app, action="create", actor_id=senco_id(world))}
    assert {"pupils", "sen_provisions", "pupil_needs"} <= created


@pytest.mark.parametrize(
    "method,path,body,code",
    [
        (
            "post",
            "/api/v1/terms/",
            {"name": "Bad", "starts_on": "2027-04-19", "ends_on": "2027-01-01"},
            422,
        ),
        ("post", "/api/v1/terms/", {**new_term(), "name": "Autumn 2026"}, 409),
        ("patch", "/api/v1/terms/{term}", {"starts_on": "yesterday"}, 422),
        ("delete", "/api/v1/classes/{mine}", None, 409),
    ],
)
def test_rejected_requests_write_no_audit_row(senco, world, app, method, path, body, code):
    home = world["home"]
    url = path.format(term=home["spare"]["term"], mine=home["classes"]["mine"])
    before = audit_total(app)
    response = getattr(senco, method)(url, **({"json": body} if body is not None else {}))
    assert_envelope(response, code)
    assert audit_total(app) == before


def test_a_failed_flush_leaves_no_stale_audit_rows(app, world):
    """Rows collected for a flush that failed must not be written by the next one."""
    home = world["home"]
    with app.app_context():
        before = audit_total(app)
        clash = Pupil(
            school_id=home["school"],
            upn=home["upns"][0],
            forename="Dup",
            surname="Dup",
            dob=date(2016, 1, 1),
            gender="F",
            year_group="4",
        )
        db.session.add(clash)
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
        db.session.add(
            Term(
                school_id=home["school"],
                name="After",
                starts_on=date(2027, 1, 4),
                ends_on=date(2027, 3, 26),
            )
        )
        db.session.commit()
        assert [(e["resource"], e["action"]) for e in events(app)[before:]] == [("terms", "create")]


# --- logins -----------------------------------------------------------------------------------


def test_login_and_logout_are_recorded(app, world):
    from tests.support import ApiClient

    client = ApiClient(app.test_client())
    login = client.post(
        "/api/v1/auth/login",
        headers=device(),
        json={"email": world["home"]["staff"]["ta"]["email"], "password": world.password},
    )
    client.csrf = login.get_json()["csrf_token"]
    assert client.post("/api/v1/auth/logout", headers=device()).status_code == 204
    ta = world["home"]["staff"]["ta"]["id"]
    rows = [
        r for r in events(app, resource="staff", resource_id=str(ta)) if r["action"] != "create"
    ]
    assert [r["action"] for r in rows] == ["login", "logout"]
    assert all(r["actor_id"] == ta and r["device_id"] == DEVICE_ID for r in rows)
    assert all(r["school_id"] == world["home"]["school"] for r in rows)


def test_failed_login_writes_no_audit_event(app, world):
    from tests.support import ApiClient

    before = audit_total(app)
    ApiClient(app.test_client()).post(
        "/api/v1/auth/login",
        json={"email": world["home"]["staff"]["ta"]["email"], "password": "wrong"},
    )
    assert audit_total(app) == before


# --- append-only ------------------------------------------------------------------------------


def _first_event_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.min(AuditEvent.id)))


def _change_one(event):
    event.action = "tampered"


@pytest.mark.parametrize(
    "change", [_change_one, lambda e: db.session.delete(e)], ids=["update", "delete"]
)
def test_orm_cannot_change_or_delete_an_event(senco, app, change):
    event_id = _first_event_id(app)
    with app.app_context():
        change(db.session.get(AuditEvent, event_id))
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.commit()
        db.session.rollback()
    assert events(app, id=event_id)[0]["action"] != "tampered"


@pytest.mark.parametrize(
    "statement",
    [
        lambda: update(AuditEvent).values(action="tampered"),
        lambda: delete(AuditEvent),
        lambda: update(AuditEvent).where(AuditEvent.id > 0).values(detail=None),
    ],
    ids=["bulk-update", "bulk-delete", "bulk-update-where"],
)
def test_bulk_statements_cannot_change_the_log(senco, app, statement):
    before = events(app)
    with app.app_context():
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.execute(statement())
        db.session.rollback()
    assert events(app) == before


def test_query_delete_is_refused(senco, app):
    with app.app_context():
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.query(AuditEvent).delete()
        db.session.rollback()
    assert audit_total(app) > 0


# --- reading the log --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role,code", [("admin", 200), ("senco", 200), ("teacher", 403), ("ta", 403), ("viewer", 403)]
)
def test_only_admin_and_senco_read_the_log(api, role, code):
    response = api(role).get("/api/v1/audit/")
    assert response.status_code == code
    if code != 200:
        assert_envelope(response, code)


def test_log_needs_a_login(client):
    assert_envelope(client.get("/api/v1/audit/"), 401)


@pytest.mark.parametrize("school", ["home", "other"])
def test_log_never_shows_another_schools_events(api, world, app, school):
    theirs = "other" if school == "home" else "home"
    api("senco", theirs).post("/api/v1/terms/", json=new_term("Their term"))
    api("admin", school).post("/api/v1/terms/", json=new_term("Our term"))
    rows = api("admin", school).get("/api/v1/audit/?limit=1000").get_json()
    ours = {str(e["id"]) for e in events(app, school_id=world[school]["school"])}
    assert rows and {str(r["id"]) for r in rows} == ours


def test_log_filters_and_pages(senco, world, app):
    term = senco.post("/api/v1/terms/", json=new_term()).get_json()["id"]
    senco.patch(f"/api/v1/terms/{term}", json={"name": "Renamed"})
    rows = senco.get(f"/api/v1/audit/?resource=terms&resource_id={term}").get_json()
    assert [(r["action"], r["detail"]) for r in rows] == [
        ("update", {"fields": ["name"]}),
        ("create", None),
    ]
    older = senco.get(f"/api/v1/audit/?before_id={rows[0]['id']}&limit=1").get_json()
    assert [r["id"] for r in older] == [rows[0]["id"] - 1] or older[0]["id"] < rows[0]["id"]


@pytest.mark.parametrize(
    "query", ["limit=0", "limit=5000", "colour=red", "before_id=abc", f"actor_id={2**63}"]
)
def test_bad_log_queries_are_422(senco, query):
    assert_envelope(senco.get(f"/api/v1/audit/?{query}"), 422)
