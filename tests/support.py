"""Test helpers: an API client that carries the CSRF token, and a two-school world to test against."""

from datetime import date

from stdnum.gb import upn as upn_rules
from werkzeug.security import generate_password_hash

from server.extensions import db
from server.models import (
    Enrolment,
    Group,
    Intervention,
    Pupil,
    PupilNeed,
    School,
    SchoolClass,
    SenProvision,
    Staff,
    Term,
)

PASSWORD = "correct horse battery"
# The schools' DfE numbers start 820/821, but python-stdnum rejects LA 820 (Bedfordshire, gone
# since 2009) in a UPN, so the pupils carry UPNs from neighbouring, still-valid LA numbers.
UPN_LA = {"home": "830", "other": "831"}
ROLES = ("admin", "senco", "teacher", "ta", "viewer")


def make_upn(la: str, estab: str, serial: int) -> str:
    body = f"{la}{estab}26{serial:03d}"
    return upn_rules.calc_check_digit(body) + body


def skip_unless_ci(reason: str) -> None:
    """Skip where a tool is missing on a developer's machine; on CI (CI=true) that is a failure,
    so a missing install step can never pass as a green run."""
    import os

    import pytest

    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required on CI)")
    pytest.skip(reason)


class ApiClient:
    """Wraps the Flask test client: JSON in and out, X-CSRF-Token on every write."""

    def __init__(self, client):
        self.client = client
        self.csrf = client.get("/api/v1/auth/csrf").get_json()["csrf_token"]

    def login(self, email: str, password: str):
        response = self.post("/api/v1/auth/login", json={"email": email, "password": password})
        assert response.status_code == 200, response.get_json()
        self.csrf = response.get_json()["csrf_token"]
        return response

    def _call(self, method: str, path: str, **kwargs):
        headers = kwargs.pop("headers", {})
        if method != "get":
            headers.setdefault("X-CSRF-Token", self.csrf)
        return getattr(self.client, method)(path, headers=headers, **kwargs)

    def get(self, path, **kwargs):
        return self._call("get", path, **kwargs)

    def post(self, path, **kwargs):
        return self._call("post", path, **kwargs)

    def patch(self, path, **kwargs):
        return self._call("patch", path, **kwargs)

    def put(self, path, **kwargs):
        return self._call("put", path, **kwargs)

    def delete(self, path, **kwargs):
        return self._call("delete", path, **kwargs)


class World(dict):
    password = PASSWORD


def _build_school(key: str, name: str, la: str, estab: str, password_hash: str) -> dict:
    school = School(name=name, dfe_number=la + estab)
    db.session.add(school)
    db.session.flush()
    staff = {
        role: Staff(
            school_id=school.id,
            name=f"{key.title()} {role.title()}",
            email=f"{role}@{key}.example.org",
            role=role,
            password_hash=password_hash,
        )
        for role in ROLES
    }
    staff["senco"].is_dsl = True
    db.session.add_all(staff.values())
    my_class = SchoolClass(
        school_id=school.id, name="Oak", year_group="4", teachers=[staff["teacher"]]
    )
    other_class = SchoolClass(school_id=school.id, name="Ash", year_group="5")
    db.session.add_all([my_class, other_class])
    db.session.flush()
    pupils = [
        Pupil(
            school_id=school.id,
            upn=make_upn(UPN_LA[key], estab, n),
            forename=f"Pupil{n}",
            surname=f"{key.title()}son",
            dob=date(2016, 1 + n, 10),
            gender="F" if n % 2 else "M",
            year_group="4" if n < 3 else "5",
            class_id=(my_class if n < 3 else other_class).id,
        )
        for n in range(1, 6)
    ]
    db.session.add_all(pupils)
    db.session.flush()
    pupils[0].provisions = [
        SenProvision(school_id=school.id, code="K", start_date=date(2024, 9, 4))
    ]
    pupils[0].needs = [PupilNeed(school_id=school.id, need_type="SLCN", rank=1)]
    intervention = Intervention(
        school_id=school.id, name="Talk Boost", area_of_need="CI", measure_type="standardised_score"
    )
    db.session.add(intervention)
    db.session.flush()
    group = Group(
        school_id=school.id,
        intervention_id=intervention.id,
        name="Talk Boost Y4",
        sessions_per_week=3,
        minutes_per_session=30,
        weeks=10,
        ratio="1:4",
        start_date=date(2026, 9, 8),
        funding_source="notional_sen",
        staff=[staff["ta"]],
        hourly_staff_cost_pence=1500,
    )
    db.session.add(group)
    db.session.flush()
    # The TA's group holds pupils 1 (Oak) and 4 (Ash): the TA sees exactly those two.
    enrolments = [
        Enrolment(school_id=school.id, group_id=group.id, pupil_id=p.id, joined_on=date(2026, 9, 8))
        for p in (pupils[0], pupils[3])
    ]
    db.session.add_all(enrolments)
    spare = _spare_records(school.id, intervention.id)
    db.session.flush()
    return {
        "school": school.id,
        "staff": {r: {"id": s.id, "email": s.email} for r, s in staff.items()},
        "classes": {"mine": my_class.id, "other": other_class.id},
        "pupils": [p.id for p in pupils],
        "upns": [p.upn for p in pupils],
        "intervention": intervention.id,
        "group": group.id,
        "enrolments": [e.id for e in enrolments],
        "spare": {name: obj.id for name, obj in spare.items()},
    }


def _spare_records(school_id: int, intervention_id: int) -> dict:
    """Records nothing depends on, so a DELETE of each can succeed."""
    spare = {
        "class": SchoolClass(school_id=school_id, name="Elm", year_group="6"),
        "term": Term(
            school_id=school_id,
            name="Autumn 2026",
            starts_on=date(2026, 9, 3),
            ends_on=date(2026, 12, 18),
        ),
        "intervention": Intervention(
            school_id=school_id,
            name="Unused catalogue entry",
            area_of_need="CL",
            measure_type="qualitative",
        ),
        "group": Group(
            school_id=school_id,
            intervention_id=intervention_id,
            name="Empty group",
            sessions_per_week=1,
            minutes_per_session=20,
            weeks=6,
            ratio="1:1",
            start_date=date(2026, 9, 8),
            funding_source="pupil_premium",
        ),
    }
    db.session.add_all(spare.values())
    return spare


def build_world() -> World:
    password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    world = World(
        home=_build_school("home", "Home Primary", "820", "2001", password_hash),
        other=_build_school("other", "Other Academy", "821", "2002", password_hash),
    )
    db.session.commit()
    return world
