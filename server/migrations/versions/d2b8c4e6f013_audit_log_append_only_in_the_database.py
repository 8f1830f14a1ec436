"""The audit log refuses UPDATE and DELETE in the database itself, not only in the ORM.

PostgreSQL: a trigger function raises on any UPDATE or DELETE of audit_events, whoever sends
it (raw SQL, psql, another program). SQLite: triggers that RAISE(ABORT) do the same for SQL
sent through any connection; anyone who can write the database file can still drop them, which
README ("The audit log") states. TRUNCATE is left to database privileges: the test suite and a
restore empty every table with it.

Revision ID: d2b8c4e6f013
Revises: c7f1e2a9d350
Create Date: 2026-12-03 12:05:00.000000
"""

from alembic import op

revision = "d2b8c4e6f013"
down_revision = "c7f1e2a9d350"
branch_labels = None
depends_on = None

MESSAGE = "audit_events is append-only: rows cannot be changed or deleted"


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"""
            CREATE FUNCTION audit_events_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
            END;
            $$ LANGUAGE plpgsql
            """
        )
        op.execute(
            "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
            "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()"
        )
        return
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_events_append_only ON audit_events")
        op.execute("DROP FUNCTION audit_events_append_only()")
        return
    for verb in ("update", "delete"):
        op.execute(f"DROP TRIGGER audit_events_no_{verb}")
