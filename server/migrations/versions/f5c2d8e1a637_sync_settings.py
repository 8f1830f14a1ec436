"""The pull window (issue 16): sync_settings.entry_terms, how many terms of entries a device's
first sync carries (no row: the current and previous term).

Revision ID: f5c2d8e1a637
Revises: e3b7a1c9d524
Create Date: 2026-12-03 09:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "f5c2d8e1a637"
down_revision = "e3b7a1c9d524"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sync_settings",
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("entry_terms", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_sync_settings_school_id_schools")
        ),
        sa.PrimaryKeyConstraint("school_id", name=op.f("pk_sync_settings")),
    )


def downgrade():
    op.drop_table("sync_settings")
