"""Cover a group's roll in one index: (group_id, pupil_id, joined_on, left_on).

A push now checks each session record's pupils against its group's roll on the day, reading
every enrolment of the batch's groups. From the table, that read visits whole rows, JSON entry
and exit data included, which a school's years of enrolments scatter over many pages; from this
index it stays in a few. (On bench/push_cost.py's young database the saving is small.) It also
replaces ix_enrolments_group_id, whose every lookup it serves.

Revision ID: e7c1d5a3b902
Revises: d4a9b2c7e815
Create Date: 2026-12-02 18:40:00.000000
"""

from alembic import op

revision = "e7c1d5a3b902"
down_revision = "d4a9b2c7e815"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index("ix_enrolments_group_id", table_name="enrolments")
    op.create_index(
        "ix_enrolments_roll",
        "enrolments",
        ["group_id", "pupil_id", "joined_on", "left_on"],
        unique=False,
    )


def downgrade():
    op.drop_index("ix_enrolments_roll", table_name="enrolments")
    op.create_index("ix_enrolments_group_id", "enrolments", ["group_id"], unique=False)
