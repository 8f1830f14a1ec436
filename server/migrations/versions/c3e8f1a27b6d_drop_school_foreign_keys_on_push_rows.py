"""Drop the schools foreign key from entry_pupils, sync_ops and audit_events.

A push writes some eight hundred of these rows, and on PostgreSQL each foreign key check runs
a trigger that locks the school's row FOR KEY SHARE: entry_pupils' check alone took 5 of a
push's 40 ms. Each row's school is already held by another foreign key (entry_pupils by its
entry, sync_ops by its staff member, audit_events by its actor where there is one), so the
check guarded nothing those do not. The school_id columns stay, as does every index.

SQLite cannot drop a constraint in place: batch mode copies each table. The partial index on
entry_pupils is dropped and made again around the copy, rather than trusting reflection to
carry its WHERE clause.

Revision ID: c3e8f1a27b6d
Revises: b7d41c2e9a05
Create Date: 2026-11-23 18:20:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "c3e8f1a27b6d"
down_revision = "b7d41c2e9a05"
branch_labels = None
depends_on = None

TABLES = ("entry_pupils", "sync_ops", "audit_events")
SUBJECT_INDEX = dict(
    index_name="ix_entry_pupils_subject",
    table_name="entry_pupils",
    columns=["pupil_id"],
    unique=False,
    sqlite_where=sa.text("is_subject = 1"),
    postgresql_where=sa.text("is_subject"),
)


def upgrade():
    op.drop_index("ix_entry_pupils_subject", table_name="entry_pupils")
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_constraint(f"fk_{table}_school_id_schools", type_="foreignkey")
    op.create_index(**SUBJECT_INDEX)


def downgrade():
    op.drop_index("ix_entry_pupils_subject", table_name="entry_pupils")
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.create_foreign_key(
                f"fk_{table}_school_id_schools", "schools", ["school_id"], ["id"]
            )
    op.create_index(**SUBJECT_INDEX)
