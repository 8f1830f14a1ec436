"""The SENCO's workspace: an intervention's default cost basis, a group's weekdays and end
date, and an enrolment's structured outcome.

- interventions.default_hourly_staff_cost_pence / default_resource_cost_pence: what a new group
  of the intervention starts from.
- groups.days: the weekdays it runs (["mon", "wed"]); groups.ended_on: the day it was ended.
- enrolments.outcome_status: met / partly_met / not_met / stopped. The free-text `outcome`
  stays as the note beside it.

Revision ID: a8d3f5c2e914
Revises: f2a6c8d41e07
Create Date: 2026-12-03 09:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "a8d3f5c2e914"
down_revision = "f2a6c8d41e07"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("interventions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("default_hourly_staff_cost_pence", sa.Integer(), nullable=True)
        )
        batch_op.add_column(sa.Column("default_resource_cost_pence", sa.Integer(), nullable=True))
    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.add_column(sa.Column("days", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("ended_on", sa.Date(), nullable=True))
    with op.batch_alter_table("enrolments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("outcome_status", sa.String(length=12), nullable=True))


def downgrade():
    # Plain DROP COLUMN (SQLite 3.35+): a batch rebuild would drop and re-create `groups`,
    # which enrolments and entries reference, and the foreign keys refuse that.
    for table, column in (
        ("enrolments", "outcome_status"),
        ("groups", "ended_on"),
        ("groups", "days"),
        ("interventions", "default_resource_cost_pence"),
        ("interventions", "default_hourly_staff_cost_pence"),
    ):
        op.drop_column(table, column)
