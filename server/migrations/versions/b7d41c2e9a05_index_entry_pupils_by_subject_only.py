"""Index entry_pupils by pupil only for the pupil's own entries (voice, conversations).

Every session record's attendance went into the pupil index too: a push of 100 sessions put
six hundred rows on pages scattered across every pupil's stretch of the index, and the commit
wrote each of those pages out (half of a push's page writes after a term, and growing). The
only read by pupil, passport suggestions, wants the pupil's own entries, so the index keeps
just those rows, marked by the new is_subject column.

Revision ID: b7d41c2e9a05
Revises: 0652093a310e
Create Date: 2026-11-23 18:05:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "b7d41c2e9a05"
down_revision = "0652093a310e"
branch_labels = None
depends_on = None

# As the code stood at this revision: the kinds whose core.pupil_id names the one pupil.
SUBJECT_KINDS = ("pupil_voice", "conversation")
entries = sa.table(
    "entries", sa.column("id", sa.Integer), sa.column("kind", sa.String), sa.column("core", sa.JSON)
)
links = sa.table(
    "entry_pupils",
    sa.column("entry_pk", sa.Integer),
    sa.column("pupil_id", sa.Integer),
    sa.column("is_subject", sa.Boolean),
)


def upgrade():
    op.add_column(
        "entry_pupils",
        sa.Column("is_subject", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    _mark_subjects()
    op.drop_index("ix_entry_pupils_pupil_id", table_name="entry_pupils")
    op.create_index(
        "ix_entry_pupils_subject",
        "entry_pupils",
        ["pupil_id"],
        unique=False,
        sqlite_where=sa.text("is_subject = 1"),
        postgresql_where=sa.text("is_subject"),
    )


def _mark_subjects():
    connection = op.get_bind()
    subjects = [
        {"pk": pk, "pupil": core.get("pupil_id")}
        for pk, core in connection.execute(
            sa.select(entries.c.id, entries.c.core).where(entries.c.kind.in_(SUBJECT_KINDS))
        )
        if isinstance(core, dict) and isinstance(core.get("pupil_id"), int)
    ]
    if subjects:
        connection.execute(
            links.update()
            .where(
                links.c.entry_pk == sa.bindparam("pk"), links.c.pupil_id == sa.bindparam("pupil")
            )
            .values(is_subject=True),
            subjects,
        )


def downgrade():
    op.drop_index("ix_entry_pupils_subject", table_name="entry_pupils")
    op.create_index("ix_entry_pupils_pupil_id", "entry_pupils", ["pupil_id"], unique=False)
    with op.batch_alter_table("entry_pupils") as batch_op:
        batch_op.drop_column("is_subject")
