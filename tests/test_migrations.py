"""The migrations build exactly the schema the models declare, on SQLite and PostgreSQL."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from server.extensions import db


def test_migrated_database_matches_the_models(app):
    with app.app_context(), db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []


def test_subject_index_migration_marks_each_entrys_own_pupil(app, api, world):
    """b7d41c2e9a05 marks, in existing data, the pupil each voice or conversation entry is
    about; a session's attendance and a walk's concern pupil stay unmarked."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import select

    from server.models import EntryPupil
    from tests.sync_support import add_test_templates, session_op, voice_op
    from tests.test_sync_push import push

    home = world["home"]
    with app.app_context():
        add_test_templates(home["school"])
    pupils = [home["pupils"][0], home["pupils"][3]]  # both in the TA's group
    results = push(api("ta"), [voice_op(1, pupils[0]), session_op(2, home["group"], pupils)])
    assert [r["status"] for r in results] == ["accepted", "accepted"]

    def marks():
        with app.app_context():
            return sorted(
                db.session.execute(
                    select(EntryPupil.entry_pk, EntryPupil.pupil_id, EntryPupil.is_subject)
                ).all()
            )

    pushed = marks()
    assert [row.is_subject for row in pushed] == [True, False, False]
    with app.app_context():
        try:
            downgrade(revision="0652093a310e")
        finally:
            upgrade()
    assert marks() == pushed
