"""Trust and local-authority viewers: trust_grants names the schools an la_viewer may see in
aggregate (issue 16). staff.role is a String(10), so "la_viewer" needs no column change.

Revision ID: e3b7a1c9d524
Revises: b5e2d7a9c416
Create Date: 2026-12-03 08:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "e3b7a1c9d524"
down_revision = "b5e2d7a9c416"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "trust_grants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_trust_grants_school_id_schools")
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_trust_grants_staff_id_staff"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trust_grants")),
        sa.UniqueConstraint("staff_id", "school_id", name=op.f("uq_trust_grants_staff_id")),
    )


def downgrade():
    op.drop_table("trust_grants")
