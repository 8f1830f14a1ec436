"""Every endpoint x every role x own school / other school, each cell an explicit status.

Rows name the operation, the expected status for each role on the user's OWN school's record,
and on the OTHER school's record (ids taken from the other school, or a body naming them).
"""

import io
import uuid
from datetime import UTC, date, datetime

import pytest

from server.extensions import db
from server.models import (
    Concern,
    Entry,
    EntryPupil,
    Group,
    PassportConflict,
    ReviewDecision,
    Staff,
    SuggestionDecision,
    TrustGrant,
)
from tests.support import PASSWORD, ROLES
from tests.sync_support import passport_op

A, S, T, TA, V = ROLES  # admin, senco, teacher, ta, viewer
# A trust's or LA's viewer (issue 16): its account is kept at the home school, which it was
# granted; it works in no school, so every school endpoint refuses it (test_la_viewer.py).
LA = "la_viewer"
ANYONE = ROLES + (LA,)


def expect(own: dict, other: dict) -> dict:
    return {role: (own[role], other[role]) for role in ANYONE}


def only(roles, ok, other_ok=404, denied=403) -> tuple[dict, dict]:
    return (
        {r: ok if r in roles else _refused(r, denied) for r in ANYONE},
        {r: other_ok if r in roles else _refused(r, denied) for r in ANYONE},
    )


def _refused(role: str, denied: int) -> int:
    """A school endpoint that hides a record from staff as a 404 still answers an la_viewer
    403 before looking: it is not school staff (policy.SIGN_IN leaves it out)."""
    return 403 if role == LA else denied


def new_pupil(w):
    return {
        "upn": "P207000016049",
        "forename": "New",
        "surname": "Starter",
        "dob": "2017-03-01",
        "gender": "F",
        "year_group": "4",
        "class_id": w["classes"]["mine"],
    }


def new_group(w):
    return {
        "intervention_id": w["intervention"],
        "name": "New group",
        "sessions_per_week": 2,
        "minutes_per_session": 20,
        "weeks": 8,
        "ratio": "1:3",
        "start_date": "2026-10-01",
        "funding_source": "notional_sen",
        "staff_ids": [w["staff"]["ta"]["id"]],
    }


# (name, method, path(w), body(w) or None, (own, other)). w is the TARGET school's world entry.
OPS = [
    ("me", "get", lambda w: "/api/v1/me", None, only(ANYONE, 200, 200)),
    ("csrf", "get", lambda w: "/api/v1/auth/csrf", None, only(ANYONE, 200, 200)),
    ("logout", "post", lambda w: "/api/v1/auth/logout", None, only(ANYONE, 204, 204)),
    ("pupils.list", "get", lambda w: "/api/v1/pupils/", None, only((A, S, T, TA), 200, 200)),
    ("pupils.create", "post", lambda w: "/api/v1/pupils/", new_pupil, only((A, S), 201, 422)),
    (
        "pupils.get",
        "get",
        lambda w: f"/api/v1/pupils/{w['pupils'][0]}",
        None,
        only((A, S, T, TA), 200),
    ),
    (
        "pupils.patch",
        "patch",
        lambda w: f"/api/v1/pupils/{w['pupils'][0]}",
        lambda w: {"eal": True},
        only((A, S), 200),
    ),
    ("classes.list", "get", lambda w: "/api/v1/classes/", None, only(ROLES, 200, 200)),
    (
        "classes.create",
        "post",
        lambda w: "/api/v1/classes/",
        lambda w: {
            "name": "Birch",
            "year_group": "3",
            "teacher_ids": [w["staff"]["teacher"]["id"]],
        },
        only((A, S), 201, 422),
    ),
    (
        "classes.get",
        "get",
        lambda w: f"/api/v1/classes/{w['classes']['mine']}",
        None,
        only(ROLES, 200),
    ),
    (
        "classes.patch",
        "patch",
        lambda w: f"/api/v1/classes/{w['classes']['mine']}",
        lambda w: {"year_group": "3"},
        only((A, S), 200),
    ),
    (
        "classes.delete",
        "delete",
        lambda w: f"/api/v1/classes/{w['spare']['class']}",
        None,
        only((A, S), 204),
    ),
    ("terms.list", "get", lambda w: "/api/v1/terms/", None, only(ROLES, 200, 200)),
    (
        "terms.create",
        "post",
        lambda w: "/api/v1/terms/",
        lambda w: {
            "name": f"Spring {w['school']}",
            # A year of its own per school: the "other" call lands in the caller's own school,
            # and terms may not overlap.
            "starts_on": f"{2040 + w['school']}-01-05",
            "ends_on": f"{2040 + w['school']}-03-26",
        },
        only((A, S), 201, 201),
    ),
    ("terms.get", "get", lambda w: f"/api/v1/terms/{w['spare']['term']}", None, only(ROLES, 200)),
    (
        "terms.patch",
        "patch",
        lambda w: f"/api/v1/terms/{w['spare']['term']}",
        lambda w: {"name": "Autumn term"},
        only((A, S), 200),
    ),
    (
        "terms.delete",
        "delete",
        lambda w: f"/api/v1/terms/{w['spare']['term']}",
        None,
        only((A, S), 204),
    ),
    ("staff.list", "get", lambda w: "/api/v1/staff/", None, only(ROLES, 200, 200)),
    (
        "staff.create",
        "post",
        lambda w: "/api/v1/staff/",
        lambda w: {
            "name": "New TA",
            "email": f"new.ta{w['school']}@example.org",
            "role": "ta",
            "password": "a long enough password",
        },
        only((A,), 201, 201),
    ),
    (
        "staff.get",
        "get",
        lambda w: f"/api/v1/staff/{w['staff']['ta']['id']}",
        None,
        only(ROLES, 200),
    ),
    (
        "staff.patch",
        "patch",
        lambda w: f"/api/v1/staff/{w['staff']['ta']['id']}",
        lambda w: {"job_title": "HLTA"},
        only((A,), 200),
    ),
    (
        "staff.temporary_password",
        "post",
        lambda w: f"/api/v1/staff/{w['staff']['ta']['id']}/temporary-password",
        None,
        only((A,), 200),
    ),
    # Everyone may choose their own password. The matrix logs in again for each call, so the
    # password must not change: the same one again is refused with a field message
    # (tests/test_staff_settings.py changes it for real).
    (
        "auth.password",
        "post",
        lambda w: "/api/v1/auth/password",
        lambda w: {"current_password": PASSWORD, "new_password": PASSWORD},
        only(ANYONE, 422, 422),
    ),
    (
        "staff.dsl",
        "put",
        lambda w: f"/api/v1/staff/{w['staff']['ta']['id']}/dsl",
        lambda w: {"is_dsl": True},
        only((S,), 200),
    ),
    ("interventions.list", "get", lambda w: "/api/v1/interventions/", None, only(ROLES, 200, 200)),
    (
        "interventions.create",
        "post",
        lambda w: "/api/v1/interventions/",
        lambda w: {
            "name": f"Numicon {w['school']}",
            "area_of_need": "CL",
            "measure_type": "standardised_score",
        },
        only((A, S), 201, 201),
    ),
    (
        "interventions.get",
        "get",
        lambda w: f"/api/v1/interventions/{w['intervention']}",
        None,
        only(ROLES, 200),
    ),
    (
        "interventions.patch",
        "patch",
        lambda w: f"/api/v1/interventions/{w['intervention']}",
        lambda w: {"evidence_note": "EEF toolkit"},
        only((A, S), 200),
    ),
    (
        "interventions.delete",
        "delete",
        lambda w: f"/api/v1/interventions/{w['spare']['intervention']}",
        None,
        only((A, S), 204),
    ),
    ("groups.list", "get", lambda w: "/api/v1/groups/", None, only(ROLES, 200, 200)),
    ("groups.create", "post", lambda w: "/api/v1/groups/", new_group, only((A, S), 201, 422)),
    ("groups.get", "get", lambda w: f"/api/v1/groups/{w['group']}", None, only(ROLES, 200)),
    (
        "groups.patch",
        "patch",
        lambda w: f"/api/v1/groups/{w['group']}",
        lambda w: {"review_date": "2026-12-01"},
        only((A, S), 200),
    ),
    (
        "groups.delete",
        "delete",
        lambda w: f"/api/v1/groups/{w['spare']['group']}",
        None,
        only((A, S), 204),
    ),
    (
        "groups.end",
        "post",
        lambda w: f"/api/v1/groups/{w['group']}/end",
        lambda w: {"ended_on": "2026-11-30"},
        only((A, S), 200),
    ),
    (
        "enrolments.list",
        "get",
        lambda w: "/api/v1/enrolments/",
        None,
        only((A, S, T, TA), 200, 200),
    ),
    (
        "enrolments.create",
        "post",
        lambda w: "/api/v1/enrolments/",
        lambda w: {"group_id": w["group"], "pupil_id": w["pupils"][1], "joined_on": "2026-10-01"},
        only((A, S), 201, 422),
    ),
    (
        "enrolments.get",
        "get",
        lambda w: f"/api/v1/enrolments/{w['enrolments'][0]}",
        None,
        only((A, S, T, TA), 200),
    ),
    (
        "enrolments.patch",
        "patch",
        lambda w: f"/api/v1/enrolments/{w['enrolments'][0]}",
        lambda w: {"outcome": "Met target"},
        only((A, S), 200),
    ),
    ("audit.list", "get", lambda w: "/api/v1/audit/", None, only((A, S), 200, 200)),
    # Built-in templates are readable by all and can never be versioned.
    ("templates.list", "get", lambda w: "/api/v1/templates/", None, only(ROLES, 200, 200)),
    (
        "templates.create",
        "post",
        lambda w: "/api/v1/templates/",
        lambda w: {
            "template_id": f"our-form-{w['school']}",
            "kind": "pupil_voice",
            "title": "Ours",
            "sections": [
                {
                    "id": "s",
                    "title": "S",
                    "questions": [{"id": "q", "prompt": "How was today?", "type": "faces3"}],
                }
            ],
        },
        only((A, S), 201, 201),
    ),
    (
        "templates.get",
        "get",
        lambda w: "/api/v1/templates/lw-ta-deployment",
        None,
        only(ROLES, 200, 200),
    ),
    (
        "templates.version",
        "get",
        lambda w: "/api/v1/templates/lw-ta-deployment/versions/1",
        None,
        only(ROLES, 200, 200),
    ),
    (
        "templates.new_version",
        "post",
        lambda w: "/api/v1/templates/lw-ta-deployment/versions",
        lambda w: {
            "title": "Mine",
            "sections": [
                {
                    "id": "s",
                    "title": "S",
                    "questions": [{"id": "q", "prompt": "Seen?", "type": "rag"}],
                }
            ],
        },
        only((A, S), 409, 409),
    ),
    # Attachments: uploads always go to the user's own school, with a (bytes, content type) body.
    # A fresh world holds no photos, so permitted reads are 404 here; the 200s and the other
    # school's 404 for a stored photo are in test_attachments.py.
    (
        "attachments.put",
        "put",
        lambda w: _attachment_path(w, upload=True),
        lambda w: (_photo(w), "image/png"),
        only((S, T, TA), 201, 201),
    ),
    ("attachments.get", "get", lambda w: _attachment_path(w), None, only((S, T, TA), 404)),
    (
        "attachments.thumbnail",
        "get",
        lambda w: _attachment_path(w, "/thumbnail"),
        None,
        only((S, T, TA), 404),
    ),
    (
        "attachments.meta",
        "get",
        lambda w: _attachment_path(w, "/meta"),
        None,
        only((S, T, TA), 404),
    ),
    # The provision map is always the user's own school, scoped by role (a viewer's has no
    # pupil rows): there is no other school's id to name, so "other" is 200 too.
    ("provision_map.get", "get", lambda w: "/api/v1/provision-map", None, only(ROLES, 200, 200)),
    (
        "provision_map.csv",
        "get",
        lambda w: "/api/v1/provision-map.csv",
        None,
        only(ROLES, 200, 200),
    ),
    # Passports: only staff who work with the pupil (pupil 1 is in the teacher's class and the
    # TA's group).
    # Sync: the push answers 200 with a result per op (here one passport edit, which a TA's
    # role and another school's pupil get "rejected" for: see test_sync_push.py).
    (
        "sync.push",
        "post",
        lambda w: "/api/v1/sync/push",
        lambda w: {
            "device_id": "matrix-device-0001",
            "ops": [passport_op(w["school"], w["pupils"][0], "i_enjoy", "Lego", 0)],
        },
        only((S, T, TA), 200, 200),
    ),
    ("sync.pull", "get", lambda w: "/api/v1/sync/pull", None, only(ROLES, 200, 200)),
    # Safeguarding: the SENCO (a DSL in the test world) only.
    ("concerns.list", "get", lambda w: "/api/v1/concerns/", None, only((S,), 200, 200)),
    ("concerns.get", "get", lambda w: f"/api/v1/concerns/{w['concern']}", None, only((S,), 200)),
    (
        "concerns.patch",
        "patch",
        lambda w: f"/api/v1/concerns/{w['concern']}",
        lambda w: {"notes": "Spoke to parent"},
        only((S,), 200),
    ),
    ("concerns.summary", "get", lambda w: "/api/v1/concerns/summary", None, only((S,), 200, 200)),
    (
        "concerns.action",
        "post",
        lambda w: f"/api/v1/concerns/{w['concern']}/actions",
        lambda w: {"action": "spoke_to_pupil", "note": "Talked at lunch"},
        only((S,), 201),
    ),
    (
        "passport_conflicts.list",
        "get",
        lambda w: "/api/v1/passport-conflicts/",
        None,
        only((S,), 200, 200),
    ),
    (
        "passport_conflicts.resolve",
        "post",
        lambda w: f"/api/v1/passport-conflicts/{w['conflict']}/resolve",
        lambda w: {"choice": "current"},
        only((S,), 200),
    ),
    ("roster.list", "get", lambda w: "/api/v1/roster-imports/", None, only((A, S), 200, 200)),
    (
        "roster.import",
        "post",
        lambda w: "/api/v1/roster-imports/",
        lambda w: _roster_csv(w),
        only((A, S), 200, 200),
    ),
    # Entries: cut and scoped as a pull is; a viewer or admin pulls no entries, so lists none
    # and finds none. The entry is a conversation about pupil 1, which a TA does not read.
    ("entries.list", "get", lambda w: "/api/v1/entries/", None, only(ROLES, 200, 200)),
    (
        "entries.get",
        "get",
        lambda w: f"/api/v1/entries/{w['talk']}",
        None,
        only((S, T), 200, 404, 404),
    ),
    (
        "entries.print",
        "get",
        lambda w: f"/api/v1/entries/{w['talk']}/print",
        None,
        only((S, T), 200, 404, 404),
    ),
    ("passports.get", "get", lambda w: _passport_path(w), None, only((S, T, TA), 200)),
    (
        "passports.patch",
        "patch",
        lambda w: _passport_path(w),
        lambda w: {"field": "i_enjoy", "value": "Lego", "base_rev": 0},
        only((S, T), 200),
    ),
    ("passports.print", "get", lambda w: _passport_path(w, "/print"), None, only((S, T, TA), 200)),
    # The parent's words at the conversation about pupil 1 are a suggestion for "My parents
    # think that"; the world holds one dismissed suggestion to bring back.
    (
        "passports.dismiss",
        "post",
        lambda w: _passport_path(w, "/dismissals"),
        lambda w: {
            "field": "my_parents_think",
            "entry_id": w["talk"],
            "question_id": "parent_perspective",
        },
        only((S, T), 200),
    ),
    (
        "passports.undismiss",
        "delete",
        lambda w: _passport_path(w, f"/dismissals/{w['dismissal']}"),
        None,
        only((S, T), 200),
    ),
    # The TA's group is overdue for review in the world, so all three see its prompt; another
    # school's key is no prompt of theirs.
    (
        "reviews.decide",
        "post",
        lambda w: "/api/v1/reviews/decisions",
        lambda w: {"key": w["review_key"], "decision": "done"},
        only((S, T, TA), 201, 422),
    ),
    (
        "reviews.undecide",
        "delete",
        lambda w: f"/api/v1/reviews/decisions/{w['review_decision']}",
        None,
        only((S, T, TA), 204),
    ),
    ("reviews.due", "get", lambda w: "/api/v1/reviews/due", None, only((S, T, TA), 200, 200)),
    # The MIS exchange acts on the caller's own school. The matrix world has no MIS source, so
    # starting a run is a 409 and there is no export yet (test_mis_api.py has the rest).
    ("mis.runs", "get", lambda w: "/api/v1/mis/runs", None, only((A, S), 200, 200)),
    ("mis.run_now", "post", lambda w: "/api/v1/mis/runs", None, only((A, S), 409, 409)),
    ("mis.export", "get", lambda w: "/api/v1/mis/exports/latest", None, only((A, S), 404, 404)),
]


# Privacy and account safety (issue 15). A second step at login is for the SENCO, DSLs and
# admins; confirming or switching off with none started is a 409. Pupil mode hands the
# caller's own login to a pupil they may see. Exports, legal holds and erasure are the SENCO's.
PRIVILEGED = (A, S)
OPS += [
    (
        "second_factor.setup",
        "post",
        lambda w: "/api/v1/auth/second-factor",
        None,
        only(PRIVILEGED, 201, 201),
    ),
    (
        "second_factor.confirm",
        "post",
        lambda w: "/api/v1/auth/second-factor/confirm",
        lambda w: {"code": "123456"},
        only(PRIVILEGED, 409, 409),
    ),
    (
        "second_factor.off",
        "post",
        lambda w: "/api/v1/auth/second-factor/off",
        lambda w: {"code": "123456"},
        only(PRIVILEGED, 409, 409),
    ),
    (
        "security.settings",
        "get",
        lambda w: "/api/v1/security/settings",
        None,
        only(PRIVILEGED, 200, 200),
    ),
    (
        "security.settings.put",
        "put",
        lambda w: "/api/v1/security/settings",
        lambda w: {"second_factor_required": False},
        only(PRIVILEGED, 200, 200),
    ),
    (
        "pupil_mode.start",
        "post",
        lambda w: "/api/v1/pupil-mode",
        lambda w: {"pupil_id": w["pupils"][0]},
        only((S, T, TA), 201),
    ),
    (
        "pupil_mode.end",
        "post",
        lambda w: "/api/v1/pupil-mode/end",
        lambda w: {},
        only(ROLES, 200, 200),
    ),
    (
        "pupils.export",
        "get",
        lambda w: f"/api/v1/pupils/{w['pupils'][0]}/export",
        None,
        only((S,), 200),
    ),
    (
        "pupils.legal_hold",
        "get",
        lambda w: f"/api/v1/pupils/{w['pupils'][0]}/legal-hold",
        None,
        only((S,), 200),
    ),
    (
        "pupils.legal_hold.put",
        "put",
        lambda w: f"/api/v1/pupils/{w['pupils'][0]}/legal-hold",
        lambda w: {"reason": "An open claim"},
        only((S,), 200),
    ),
    (
        "pupils.legal_hold.delete",
        "delete",
        lambda w: f"/api/v1/pupils/{w['pupils'][0]}/legal-hold",
        None,
        only((S,), 200),
    ),
    (
        "entries.erasure",
        "post",
        lambda w: f"/api/v1/entries/{w['talk']}/erasure",
        lambda w: {"confirm": w["talk"]},
        only((S,), 200),
    ),
    # Who read which pupil's data, and who names DSLs: the SENCO and DSLs (the world's SENCO).
    ("audit.pupil_data", "get", lambda w: "/api/v1/audit/pupil-data", None, only((S,), 200, 200)),
    (
        "audit.designations",
        "get",
        lambda w: "/api/v1/audit/designations",
        None,
        only((S,), 200, 200),
    ),
]


# A trust's or local authority's roll-up across its granted schools (issue 16): the la_viewer's
# only read; it names no school's record, so "other" asks the same question.
OPS += [
    (
        "trust.provision_map",
        "get",
        lambda w: "/api/v1/trust/provision-map",
        None,
        only((LA,), 200, 200),
    ),
    (
        "trust.provision_map_csv",
        "get",
        lambda w: "/api/v1/trust/provision-map.csv",
        None,
        only((LA,), 200, 200),
    ),
]


def _passport_path(w, suffix="") -> str:
    return f"/api/v1/pupils/{w['pupils'][0]}/passport{suffix}"


def _photo(w) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (w["school"] * 40 % 256, 90, 160)).save(out, "PNG")
    return out.getvalue()


def _attachment_path(w, suffix="", upload=False) -> str:
    """Named by the hash of this school's photo, or of bytes never stored."""
    import hashlib

    data = _photo(w) if upload else b"never uploaded"
    return f"/api/v1/attachments/{hashlib.sha256(data).hexdigest()}{suffix}"


@pytest.fixture
def matrix_world(app, world):
    """The shared world plus a safeguarding concern and a passport conflict in each school, so
    their item endpoints have something to find."""
    with app.app_context():
        for key in ("home", "other"):
            world[key].update(_safeguarding_records(world[key]))
        world["home"]["staff"][LA] = _trust_viewer(world["home"])
        db.session.commit()
    return world


def _trust_viewer(w) -> dict:
    """An la_viewer kept at this school and granted it (as `flask trust grant` makes one)."""
    viewer = Staff(
        school_id=w["school"],
        name="Trust Viewer",
        email="officer@trust.example.org",
        role=LA,
        password_hash=db.session.get(Staff, w["staff"]["admin"]["id"]).password_hash,
    )
    db.session.add(viewer)
    db.session.flush()
    db.session.add(TrustGrant(school_id=w["school"], staff_id=viewer.id))
    return {"id": viewer.id, "email": viewer.email}


def _safeguarding_records(w) -> dict:
    pupil, staff = w["pupils"][0], w["staff"]
    entry = Entry(
        school_id=w["school"],
        entry_id=str(uuid.uuid4()),
        rev=1,
        kind="pupil_voice",
        template_id="pv-ks2",
        template_version=1,
        pupil_ids=[pupil],
        date=date(2026, 11, 2),
        recorded_at=datetime.now(UTC),
        author_id=staff["ta"]["id"],
        device_id="matrix-device",
        core={},
        answers={},
    )
    db.session.add(entry)
    db.session.flush()
    concern = Concern(
        school_id=w["school"], pupil_id=pupil, entry_pk=entry.id, reason="Pupil answered 'worried'"
    )
    conflict = PassportConflict(
        school_id=w["school"],
        pupil_id=pupil,
        field="i_enjoy",
        base_rev=0,
        current_rev=1,
        current_value="Drawing",
        proposed_value="Football",
        proposed_by=staff["teacher"]["id"],
        op_id=str(uuid.uuid4()),
    )
    db.session.add_all([concern, conflict])
    db.session.flush()
    return {"concern": concern.id, "conflict": conflict.id, "talk": _conversation(w), **_decided(w)}


def _decided(w) -> dict:
    """A dismissed passport suggestion, and the TA's group overdue for review with a decision
    on its prompt (review keys: sync/review_decisions.py)."""
    group = db.session.get(Group, w["group"])
    group.review_date = date(2026, 11, 1)
    key = f"group_review_overdue|p|g{group.id}|/api/v1/groups/{group.id}|2026-11-01"
    staff = w["staff"]["senco"]["id"]
    dismissal = SuggestionDecision(
        school_id=w["school"],
        pupil_id=w["pupils"][0],
        field="i_enjoy",
        entry_id=str(uuid.uuid4()),
        question_id="enjoy",
        decision="dismissed",
        decided_by=staff,
    )
    decision = ReviewDecision(
        school_id=w["school"],
        key=key,
        kind="group_review_overdue",
        group_id=group.id,
        decision="done",
        decided_by=staff,
    )
    db.session.add_all([dismissal, decision])
    db.session.flush()
    return {"dismissal": dismissal.id, "review_key": key, "review_decision": decision.id}


def _conversation(w) -> str:
    """A conversation with parents about pupil 1, recorded by their class teacher."""
    pupil = w["pupils"][0]
    entry = Entry(
        school_id=w["school"],
        entry_id=str(uuid.uuid4()),
        rev=1,
        kind="conversation",
        template_id="conversation-structured",
        template_version=1,
        pupil_ids=[pupil],
        date=date(2026, 11, 2),
        recorded_at=datetime.now(UTC),
        author_id=w["staff"]["teacher"]["id"],
        device_id="matrix-device",
        core={
            "pupil_id": pupil,
            "date": "2026-11-02",
            "attendees": [{"name": "A Parent", "role": "parent"}],
            "targets": [],
            "actions": [],
        },
        answers={"summary": "Agreed a reading plan", "parent_perspective": "Loves drawing"},
    )
    db.session.add(entry)
    db.session.flush()
    db.session.add(
        EntryPupil(school_id=w["school"], entry_pk=entry.id, pupil_id=pupil, is_subject=True)
    )
    return entry.entry_id


def _roster_csv(w):
    csv = b"upn,forename,surname,dob,gender,year_group\r\nP207000016049,New,Starter,2017-03-01,F,4\r\n"
    return {"file": (io.BytesIO(csv), "roster.csv"), "partial": "true"}, "multipart/form-data"


def _call(client, method, path, body):
    if isinstance(body, tuple):  # (raw bytes, content type): a binary upload, not JSON
        return getattr(client, method)(path, data=body[0], content_type=body[1])
    return (
        getattr(client, method)(path, json=body)
        if body is not None
        else getattr(client, method)(path)
    )


@pytest.mark.parametrize("role", ANYONE)
@pytest.mark.parametrize("name,method,path,body,expected", OPS, ids=[op[0] for op in OPS])
def test_role_matrix(api, matrix_world, role, name, method, path, body, expected):
    world = matrix_world
    own_status, other_status = expected[0][role], expected[1][role]
    own = _call(api(role), method, path(world["home"]), body and body(world["home"]))
    assert own.status_code == own_status, (name, role, "own", own.get_json())
    other = _call(api(role), method, path(world["other"]), body and body(world["other"]))
    assert other.status_code == other_status, (name, role, "other", other.get_json())


def test_matrix_covers_every_endpoint(app, matrix_world):
    world = matrix_world
    """A new endpoint must be added to the matrix; this fails until it is."""
    adapter = app.url_map.bind("localhost")
    covered = set()
    for _, method, path, _, _ in OPS:
        rule, _ = adapter.match(path(world["home"]).split("?")[0], method.upper(), return_rule=True)
        covered.add((method.upper(), rule.rule))
    missing = []
    for rule in app.url_map.iter_rules():
        if (
            not rule.rule.startswith("/api/v1/")
            or rule.endpoint.startswith("api-docs")
            or rule.rule in ("/api/v1/docs", "/api/v1/auth/login")
        ):
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if (method, rule.rule) not in covered:
                missing.append(f"{method} {rule.rule}")
    assert not missing, f"endpoints missing from the role matrix: {missing}"
