"""Voice points keep the answer the pupil chose: the scale it was on, the position, its words.

A pupil who tapped "Happy" on three faces scored 100, which the provision map then read back
as "Very happy". The score stays for averages; scale_type, scale, position and face say what was
actually chosen. Voice points are a projection: rows written before this revision have these
columns empty until `flask sync rebuild` recomputes them (readers fall back to the score).

Revision ID: f2a6c8d41e07
Revises: e7c1d5a3b902
Create Date: 2026-12-03 08:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "f2a6c8d41e07"
down_revision = "e7c1d5a3b902"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("voice_points", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scale_type", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("scale", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("position", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("face", sa.String(length=40), nullable=True))


def downgrade():
    with op.batch_alter_table("voice_points", schema=None) as batch_op:
        batch_op.drop_column("face")
        batch_op.drop_column("position")
        batch_op.drop_column("scale")
        batch_op.drop_column("scale_type")
