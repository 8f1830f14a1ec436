"""Drop the entries.entry_id index: the (entry_id, rev) unique index answers the same lookups,
and a second index on random ids cost every push a page write per entry.

Revision ID: 95f56934fbba
Revises: 30ac56eb3baa
Create Date: 2026-11-23 13:08:25.448328
"""

from alembic import op

revision = "95f56934fbba"
down_revision = "30ac56eb3baa"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index("ix_entries_entry_id", table_name="entries")


def downgrade():
    op.create_index("ix_entries_entry_id", "entries", ["entry_id"], unique=False)
