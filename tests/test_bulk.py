"""execute_many stores exactly what the ORM would, on SQLite and PostgreSQL alike."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text

from server.extensions import db
from server.models import AuditEvent, GroupStats
from server.models.bulk import execute_many
from sync.merge.apply import write_deltas
from sync.merge.contributions import Deltas

AUDIT_INSERT = AuditEvent.__table__.insert()


def test_values_are_converted_as_the_orm_converts_them(app, world):
    at = datetime(2026, 11, 23, 9, 30, 15, 123456, tzinfo=UTC)
    school = world["home"]["school"]
    with app.app_context():
        execute_many(
            db.session,
            AUDIT_INSERT,
            [
                {
                    "school_id": school,
                    "actor_id": None,
                    "device_id": "tablet-é",
                    "action": "create",
                    "resource": "entries",
                    "resource_id": f"e-{n}",
                    "at": at,
                    "detail": {
                        "kind": "session_record",
                        "n": n,
                        "note": "naïve café",
                        7: [1, None],
                    },
                }
                for n in range(3)
            ],
        )
        db.session.commit()
        db.session.add(
            AuditEvent(
                school_id=school,
                action="create",
                resource="entries",
                resource_id="orm",
                device_id="tablet-é",
                at=at,
                detail={"kind": "session_record", "n": 0, "note": "naïve café", "7": [1, None]},
            )
        )
        db.session.commit()
        rows = db.session.scalars(
            select(AuditEvent).where(AuditEvent.resource == "entries").order_by(AuditEvent.id)
        ).all()
    assert [r.resource_id for r in rows] == ["e-0", "e-1", "e-2", "orm"]
    assert rows[0].detail == rows[3].detail  # int keys become strings, as json.dumps made them
    assert rows[2].detail["n"] == 2 and rows[0].device_id == "tablet-é"
    assert rows[0].at.replace(tzinfo=None) == rows[3].at.replace(tzinfo=None)
    assert rows[0].at.replace(tzinfo=None) == at.replace(tzinfo=None)


@pytest.mark.parametrize(
    "given",
    [
        datetime(2026, 6, 1, 9, 30),  # naive: taken to be UTC already
        datetime(2026, 6, 1, 10, 30, tzinfo=ZoneInfo("Europe/London")),  # BST
        date(2026, 6, 1),  # a day in a moment column: its London midnight
    ],
    ids=["naive", "london", "day"],
)
def test_a_moment_is_stored_as_the_orm_stores_it(app, world, given):
    """On PostgreSQL the rows go to the database as one JSON document: a moment must mean the
    same instant there as UTCDateTime makes of it through the ORM."""
    school = world["home"]["school"]
    row = {
        "school_id": school,
        "actor_id": None,
        "device_id": "tablet",
        "action": "create",
        "resource": "moments",
        "detail": {},
    }
    with app.app_context():
        if db.session.get_bind().dialect.name == "postgresql":
            # A server in another zone reads a moment without an offset in its own zone.
            db.session.execute(text("SET LOCAL TIME ZONE 'America/New_York'"))
        execute_many(db.session, AUDIT_INSERT, [{**row, "resource_id": "bulk", "at": given}])
        db.session.add(AuditEvent(**row, resource_id="orm", at=given))
        db.session.commit()
        stored = dict(
            db.session.execute(
                select(AuditEvent.resource_id, AuditEvent.at).where(
                    AuditEvent.resource == "moments"
                )
            ).all()
        )
    assert stored["bulk"] == stored["orm"]
    assert stored["bulk"].tzinfo is not None


def test_a_missing_value_is_an_error_not_a_null(app, world):
    with app.app_context():
        with pytest.raises(ValueError, match="No values for"):
            execute_many(
                db.session,
                AUDIT_INSERT,
                [{"school_id": world["home"]["school"], "action": "create", "resource": "x"}],
            )


def test_projection_upserts_add_to_stored_rows_and_widen_dates(app, world):
    group, school = world["home"]["group"], world["home"]["school"]

    def add(day: date, minutes: int) -> None:
        deltas = Deltas()
        deltas.add_session(
            {
                "group_id": group,
                "date": day,
                "core": {
                    "minutes_delivered": minutes,
                    "delivered_as_planned": True,
                    "attendance": [
                        {
                            "pupil_id": world["home"]["pupils"][0],
                            "status": "present",
                            "engagement": 4,
                        }
                    ],
                },
            },
            +1,
        )
        write_deltas(db.session, school, deltas, [])
        db.session.commit()

    with app.app_context():
        add(date(2026, 11, 4), 30)
        add(date(2026, 11, 2), 20)
        add(date(2026, 11, 9), 25)
        stats = db.session.get(GroupStats, group)
        assert (stats.sessions_delivered, stats.minutes_delivered) == (3, 75)
        assert (stats.first_session, stats.last_session) == (date(2026, 11, 2), date(2026, 11, 9))
