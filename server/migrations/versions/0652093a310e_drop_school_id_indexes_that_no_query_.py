"""Drop school_id indexes that no query leads with: entries has (school_id, server_seq), and
entry_pupils and sync_ops are read by entry, pupil, op id or device. Each index cost a B-tree
insert per row a push writes (entry_pupils alone takes six hundred rows a batch): 4% of the
push's instructions. The price: deleting a whole school (rare) scans these tables.

Revision ID: 0652093a310e
Revises: 95f56934fbba
Create Date: 2026-11-23 15:06:08.047244
"""

from alembic import op

revision = "0652093a310e"
down_revision = "95f56934fbba"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_entries_school_id", "entries"),
    ("ix_entry_pupils_school_id", "entry_pupils"),
    ("ix_sync_ops_school_id", "sync_ops"),
)


def upgrade():
    for name, table in INDEXES:
        op.drop_index(name, table_name=table)


def downgrade():
    for name, table in INDEXES:
        op.create_index(name, table, ["school_id"], unique=False)
