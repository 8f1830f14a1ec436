"""Audit is written one way: every write path that adds rows to an audited table adds their
audit events too. Each path runs against a snapshot of every table's row count; a new write
path that skips the log (a bulk insert, a raw statement) fails here."""

import io

import pytest
from sqlalchemy import func, select, text

from server.extensions import db
from server.models import AuditEvent, Base
from server.models.base import UNAUDITED_TABLES
from server.models.bulk import UnauditedWrite, execute_many
from tests.sync_support import add_test_templates, passport_op, session_op, voice_op
from tests.test_roster_import import ctf, kid
from tests.test_sync_push import push

AUDITED = [t.name for t in Base.metadata.sorted_tables if t.name not in UNAUDITED_TABLES]


def _rows(app) -> dict[str, int]:
    with app.app_context():
        return {name: db.session.scalar(text(f'SELECT count(*) FROM "{name}"')) for name in AUDITED}


def _created_events(app) -> dict[str, int]:
    with app.app_context():
        return dict(
            db.session.execute(
                select(AuditEvent.resource, func.count())
                .where(AuditEvent.action == "create")
                .group_by(AuditEvent.resource)
            ).all()
        )


def _push_evidence(api, w):
    push(
        api("ta"),
        [
            session_op(1, w["group"], [w["pupils"][0], w["pupils"][3]]),
            voice_op(2, w["pupils"][0], feel_safe="worried"),
        ],
    )
    push(api("teacher"), [passport_op(1, w["pupils"][0], "i_enjoy", "Drawing", 0)])


def _rest_records(api, w):
    senco = api("senco")
    assert (
        senco.post(
            "/api/v1/terms/",
            json={"name": "Summer", "starts_on": "2027-04-19", "ends_on": "2027-07-21"},
        ).status_code
        == 201
    )
    assert (
        senco.post(
            "/api/v1/enrolments/",
            json={"group_id": w["group"], "pupil_id": w["pupils"][1], "joined_on": "2026-10-01"},
        ).status_code
        == 201
    )
    assert (
        senco.patch(
            f"/api/v1/pupils/{w['pupils'][1]}/passport",
            json={"field": "what_helps_me", "value": "A quiet corner", "base_rev": 0},
        ).status_code
        == 200
    )


def _roster_import(api, w):
    response = api("senco").post(
        "/api/v1/roster-imports/",
        data={"file": (io.BytesIO(ctf(kid(1), kid(2))), "roster.xml"), "partial": "true"},
        content_type="multipart/form-data",
    )
    assert response.status_code in (200, 201), response.get_json()


@pytest.mark.parametrize(
    "path", [_push_evidence, _rest_records, _roster_import], ids=["push", "rest", "roster"]
)
def test_every_row_a_write_path_adds_has_its_audit_event(app, api, world, path):
    with app.app_context():
        add_test_templates(world["home"]["school"])
    rows, created = _rows(app), _created_events(app)
    path(api, world["home"])
    grown = {name: n - rows[name] for name, n in _rows(app).items() if n > rows[name]}
    assert grown, "the path wrote nothing, so it proves nothing"
    events = _created_events(app)
    unaudited = {
        name: (added, events.get(name, 0) - created.get(name, 0))
        for name, added in grown.items()
        if events.get(name, 0) - created.get(name, 0) < added
    }
    assert not unaudited, f"rows added without audit events (added, events): {unaudited}"


def test_a_bulk_insert_into_an_audited_table_without_events_is_refused(app, world):
    from server.models import Term

    with app.app_context():
        with pytest.raises(UnauditedWrite):
            execute_many(
                db.session,
                Term.__table__.insert(),
                [{"school_id": world["home"]["school"], "name": "Sneaky", "server_seq": 0}],
            )
