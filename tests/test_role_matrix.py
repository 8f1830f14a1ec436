"""Every endpoint x every role x own school / other school, each cell an explicit status.

Rows name the operation, the expected status for each role on the user's OWN school's record,
and on the OTHER school's record (ids taken from the other school, or a body naming them).
"""
from datetime import date

import pytest

from tests.support import ROLES

A, S, T, TA, V = ROLES  # admin, senco, teacher, ta, viewer


def expect(own: dict, other: dict) -> dict:
    return {role: (own[role], other[role]) for role in ROLES}


def only(roles, ok, other_ok=404, denied=403) -> tuple[dict, dict]:
    return ({r: ok if r in roles else denied for r in ROLES},
            {r: other_ok if r in roles else denied for r in ROLES})


def new_pupil(w):
    return {"upn": "P207000016049", "forename": "New", "surname": "Starter", "dob": "2017-03-01",
            "gender": "F", "year_group": "4", "class_id": w["classes"]["mine"]}


def new_group(w):
    return {"intervention_id": w["intervention"], "name": "New group", "sessions_per_week": 2,
            "minutes_per_session": 20, "weeks": 8, "ratio": "1:3", "start_date": "2026-10-01",
            "funding_source": "notional_sen", "staff_ids": [w["staff"]["ta"]["id"]]}


# (name, method, path(w), body(w) or None, (own, other)). w is the TARGET school's world entry.
OPS = [
    ("me", "get", lambda w: "/api/v1/me", None, only(ROLES, 200, 200)),
    ("csrf", "get", lambda w: "/api/v1/auth/csrf", None, only(ROLES, 200, 200)),
    ("logout", "post", lambda w: "/api/v1/auth/logout", None, only(ROLES, 204, 204)),
    ("pupils.list", "get", lambda w: "/api/v1/pupils/", None, only((A, S, T, TA), 200, 200)),
    ("pupils.create", "post", lambda w: "/api/v1/pupils/", new_pupil, only((A, S), 201, 422)),
    ("pupils.get", "get", lambda w: f"/api/v1/pupils/{w['pupils'][0]}", None,
     only((A, S, T, TA), 200)),
    ("pupils.patch", "patch", lambda w: f"/api/v1/pupils/{w['pupils'][0]}",
     lambda w: {"eal": True}, only((A, S), 200)),
    ("classes.list", "get", lambda w: "/api/v1/classes/", None, only(ROLES, 200, 200)),
    ("classes.create", "post", lambda w: "/api/v1/classes/",
     lambda w: {"name": "Birch", "year_group": "3", "teacher_ids": [w["staff"]["teacher"]["id"]]},
     only((A, S), 201, 422)),
    ("classes.get", "get", lambda w: f"/api/v1/classes/{w['classes']['mine']}", None,
     only(ROLES, 200)),
    ("classes.patch", "patch", lambda w: f"/api/v1/classes/{w['classes']['mine']}",
     lambda w: {"year_group": "3"}, only((A, S), 200)),
    ("classes.delete", "delete", lambda w: f"/api/v1/classes/{w['spare']['class']}", None,
     only((A, S), 204)),
    ("terms.list", "get", lambda w: "/api/v1/terms/", None, only(ROLES, 200, 200)),
    ("terms.create", "post", lambda w: "/api/v1/terms/",
     lambda w: {"name": f"Spring {w['school']}", "starts_on": "2027-01-05", "ends_on": "2027-03-26"},
     only((A, S), 201, 201)),
    ("terms.get", "get", lambda w: f"/api/v1/terms/{w['spare']['term']}", None, only(ROLES, 200)),
    ("terms.patch", "patch", lambda w: f"/api/v1/terms/{w['spare']['term']}",
     lambda w: {"name": "Autumn term"}, only((A, S), 200)),
    ("terms.delete", "delete", lambda w: f"/api/v1/terms/{w['spare']['term']}", None,
     only((A, S), 204)),
    ("staff.list", "get", lambda w: "/api/v1/staff/", None, only(ROLES, 200, 200)),
    ("staff.create", "post", lambda w: "/api/v1/staff/",
     lambda w: {"name": "New TA", "email": f"new.ta{w['school']}@example.org", "role": "ta",
                "password": "a long enough password"}, only((A,), 201, 201)),
    ("staff.get", "get", lambda w: f"/api/v1/staff/{w['staff']['ta']['id']}", None,
     only(ROLES, 200)),
    ("staff.patch", "patch", lambda w: f"/api/v1/staff/{w['staff']['ta']['id']}",
     lambda w: {"job_title": "HLTA"}, only((A,), 200)),
    ("interventions.list", "get", lambda w: "/api/v1/interventions/", None, only(ROLES, 200, 200)),
    ("interventions.create", "post", lambda w: "/api/v1/interventions/",
     lambda w: {"name": f"Numicon {w['school']}", "area_of_need": "CL", "measure_type": "standardised_score"},
     only((A, S), 201, 201)),
    ("interventions.get", "get", lambda w: f"/api/v1/interventions/{w['intervention']}", None,
     only(ROLES, 200)),
    ("interventions.patch", "patch", lambda w: f"/api/v1/interventions/{w['intervention']}",
     lambda w: {"evidence_note": "EEF toolkit"}, only((A, S), 200)),
    ("interventions.delete", "delete",
     lambda w: f"/api/v1/interventions/{w['spare']['intervention']}", None, only((A, S), 204)),
    ("groups.list", "get", lambda w: "/api/v1/groups/", None, only(ROLES, 200, 200)),
    ("groups.create", "post", lambda w: "/api/v1/groups/", new_group, only((A, S), 201, 422)),
    ("groups.get", "get", lambda w: f"/api/v1/groups/{w['group']}", None, only(ROLES, 200)),
    ("groups.patch", "patch", lambda w: f"/api/v1/groups/{w['group']}",
     lambda w: {"review_date": "2026-12-01"}, only((A, S), 200)),
    ("groups.delete", "delete", lambda w: f"/api/v1/groups/{w['spare']['group']}", None,
     only((A, S), 204)),
    ("enrolments.list", "get", lambda w: "/api/v1/enrolments/", None, only((A, S, T, TA), 200, 200)),
    ("enrolments.create", "post", lambda w: "/api/v1/enrolments/",
     lambda w: {"group_id": w["group"], "pupil_id": w["pupils"][1], "joined_on": "2026-10-01"},
     only((A, S), 201, 422)),
    ("enrolments.get", "get", lambda w: f"/api/v1/enrolments/{w['enrolments'][0]}", None,
     only((A, S, T, TA), 200)),
    ("enrolments.patch", "patch", lambda w: f"/api/v1/enrolments/{w['enrolments'][0]}",
     lambda w: {"outcome": "Met target"}, only((A, S), 200)),
    ("audit.list", "get", lambda w: "/api/v1/audit/", None, only((A, S), 200, 200)),
]


def _call(client, method, path, body):
    return getattr(client, method)(path, json=body) if body is not None else \
        getattr(client, method)(path)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name,method,path,body,expected", OPS, ids=[op[0] for op in OPS])
def test_role_matrix(api, world, role, name, method, path, body, expected):
    own_status, other_status = expected[0][role], expected[1][role]
    own = _call(api(role), method, path(world["home"]), body and body(world["home"]))
    assert own.status_code == own_status, (name, role, "own", own.get_json())
    other = _call(api(role), method, path(world["other"]), body and body(world["other"]))
    assert other.status_code == other_status, (name, role, "other", other.get_json())


def _covered_rules():
    return {(method.upper(), path) for _, method, path, _, _ in
            [(n, m, p({"pupils": [0], "classes": {"mine": 0}, "spare": {k: 0 for k in
                       ("class", "term", "intervention", "group")}, "staff": {"ta": {"id": 0}},
                       "intervention": 0, "group": 0, "enrolments": [0]}), b, e)
             for n, m, p, b, e in OPS]}


def test_matrix_covers_every_endpoint(app):
    """A new endpoint must be added to the matrix; this fails until it is."""
    covered = {(m, p.replace("/0", "/<int:item_id>")) for m, p in _covered_rules()}
    missing = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint.startswith("api-docs") \
                or rule.rule in ("/api/v1/docs", "/api/v1/auth/login"):
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if (method, rule.rule) not in covered:
                missing.append(f"{method} {rule.rule}")
    assert not missing, f"endpoints missing from the role matrix: {missing}"
