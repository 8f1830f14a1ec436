"""Staff must choose their own password after an admin set or reset it.

staff.must_change_password: true after an admin sets a password or issues a temporary one;
until the person picks their own, their session can only read their profile, change the
password or log out.

Revision ID: b5e2d7a9c416
Revises: d2b8c4e6f013
Create Date: 2026-12-03 10:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "b5e2d7a9c416"
down_revision = "d2b8c4e6f013"
branch_labels = None
depends_on = None


def upgrade():
    # In place, not in batch mode, for the same reason as the downgrade: SQLite adds a column
    # with a constant default without rebuilding the table.
    op.add_column(
        "staff",
        sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade():
    # In place, not in batch mode: rebuilding staff on SQLite would trip the foreign keys that
    # point at it. SQLite drops a plain column in place since 3.35.
    op.drop_column("staff", "must_change_password")
