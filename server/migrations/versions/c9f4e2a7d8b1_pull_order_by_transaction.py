"""Order pulls by (transaction id, sequence) on PostgreSQL, so one school's pushes no longer
queue on its counter row (server/models/sequence.py).

Every synced table gains server_xid (0 for rows written before, which therefore come first in
any order), and server_seq becomes 64-bit on PostgreSQL, where it is now drawn from one
sequence for every school. The sequence starts above every school's counter, so the numbers
stay increasing across the change. entries' pull index becomes (school_id, server_xid,
server_seq). SQLite keeps its per-school counter; its INTEGER is 64-bit already.

Revision ID: c9f4e2a7d8b1
Revises: 3b9e6d1f0c72, a3d5f7e9c214
Create Date: 2026-12-10 10:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "c9f4e2a7d8b1"
down_revision = ("3b9e6d1f0c72", "a3d5f7e9c214")  # also joins those two branches
branch_labels = None
depends_on = None

SYNCED_TABLES = (
    "classes",
    "enrolments",
    "entries",
    "groups",
    "interventions",
    "passport_conflicts",
    "passport_fields",
    "passports",
    "pupils",
    "staff",
    "templates",
    "terms",
)


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
    big = sa.BigInteger() if _postgres() else sa.Integer()
    # Plain ALTERs, not batch mode: SQLite adds and drops a column in place, where a batch's
    # copy of the table would trip the foreign keys that point at it.
    for table in SYNCED_TABLES:
        op.add_column(table, sa.Column("server_xid", big, server_default="0", nullable=False))
        if _postgres():
            op.alter_column(table, "server_seq", type_=sa.BigInteger(), existing_nullable=False)
    op.drop_index("ix_entries_school_seq", table_name="entries")
    op.create_index("ix_entries_pull_order", "entries", ["school_id", "server_xid", "server_seq"])
    if _postgres():
        start = op.get_bind().execute(sa.text("SELECT max(value) FROM sync_counters")).scalar()
        op.execute(f"CREATE SEQUENCE sync_seq AS bigint START WITH {(start or 0) + 1}")


def downgrade():
    if _postgres():
        # Each school's counter must sit above every number the sequence handed out.
        op.execute(
            "INSERT INTO sync_counters (school_id, value) "
            "SELECT id, (SELECT last_value FROM sync_seq) FROM schools "
            "ON CONFLICT (school_id) DO UPDATE "
            "SET value = GREATEST(sync_counters.value, excluded.value)"
        )
        op.execute("DROP SEQUENCE sync_seq")
    op.drop_index("ix_entries_pull_order", table_name="entries")
    op.create_index("ix_entries_school_seq", "entries", ["school_id", "server_seq"])
    for table in SYNCED_TABLES:
        op.execute(f"ALTER TABLE {table} DROP COLUMN server_xid")
        if _postgres():
            op.alter_column(table, "server_seq", type_=sa.Integer(), existing_nullable=False)
