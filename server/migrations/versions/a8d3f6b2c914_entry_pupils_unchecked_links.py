"""Drop the foreign keys on entry_pupils (its entry and its pupil).

An entry's pupil rows are written only with the entry, in the same transaction, from the
pupils the push has just checked against the writer's scope: six hundred rows a push of 100
session records. On PostgreSQL each row ran two foreign key triggers, about a quarter of the
database's work on a push (bench/push_cost.py --database-url; EXPLAIN ANALYZE of the insert).
The columns keep their primary key and index; the model declares them with
server.models.base.refers_to, so erasure still deletes them with the entry or the pupil.

SQLite cannot drop a constraint in place: batch mode copies the table, which nothing refers
to. The partial index is dropped and made again around the copy, as in c3e8f1a27b6d.

Revision ID: a8d3f6b2c914
Revises: f5c2d8e1a637
Create Date: 2026-12-03 14:10:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "a8d3f6b2c914"
down_revision = "f5c2d8e1a637"
branch_labels = None
depends_on = None

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
    with op.batch_alter_table("entry_pupils") as batch_op:
        batch_op.drop_constraint("fk_entry_pupils_entry_pk_entries", type_="foreignkey")
        batch_op.drop_constraint("fk_entry_pupils_pupil_id_pupils", type_="foreignkey")
    op.create_index(**SUBJECT_INDEX)


def downgrade():
    # Rows left pointing at nothing would stop the keys being made again.
    op.execute(
        "DELETE FROM entry_pupils WHERE entry_pk NOT IN (SELECT id FROM entries) "
        "OR pupil_id NOT IN (SELECT id FROM pupils)"
    )
    op.drop_index("ix_entry_pupils_subject", table_name="entry_pupils")
    with op.batch_alter_table("entry_pupils") as batch_op:
        batch_op.create_foreign_key(
            "fk_entry_pupils_entry_pk_entries", "entries", ["entry_pk"], ["id"], ondelete="CASCADE"
        )
        batch_op.create_foreign_key(
            "fk_entry_pupils_pupil_id_pupils", "pupils", ["pupil_id"], ["id"]
        )
    op.create_index(**SUBJECT_INDEX)
