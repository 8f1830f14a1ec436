"""Concern actions, and the decisions staff make in the workspace, kept on the server.

concern_actions: what was done about a safeguarding concern, each with its note.
passport_suggestion_decisions: a passport suggestion used or dismissed, so it is not offered again.
review_decisions: a review prompt done, snoozed until a day, or not needed with a reason.

Revision ID: a3d5f7e9c214
Revises: 3b9e6d1f0c72
Create Date: 2026-12-03 09:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "a3d5f7e9c214"
down_revision = "3b9e6d1f0c72"
branch_labels = None
depends_on = None


def _school(table: str) -> list:
    return [
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f(f"fk_{table}_school_id_schools")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def upgrade():
    op.create_table(
        "concern_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("concern_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("taken_by", sa.Integer(), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["concern_id"], ["concerns.id"], name=op.f("fk_concern_actions_concern_id_concerns")
        ),
        sa.ForeignKeyConstraint(
            ["taken_by"], ["staff.id"], name=op.f("fk_concern_actions_taken_by_staff")
        ),
        *_school("concern_actions"),
    )
    with op.batch_alter_table("concern_actions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_concern_actions_concern_id"), ["concern_id"], unique=False
        )

    op.create_table(
        "passport_suggestion_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("entry_id", sa.String(length=36), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by"],
            ["staff.id"],
            name=op.f("fk_passport_suggestion_decisions_decided_by_staff"),
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupils.id"],
            name=op.f("fk_passport_suggestion_decisions_pupil_id_pupils"),
        ),
        sa.UniqueConstraint(
            "pupil_id",
            "field",
            "entry_id",
            "question_id",
            name=op.f("uq_passport_suggestion_decisions_pupil_id"),
        ),
        *_school("passport_suggestion_decisions"),
    )

    op.create_table(
        "review_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("decision", sa.String(length=12), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["staff.id"], name=op.f("fk_review_decisions_decided_by_staff")
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"], ["pupils.id"], name=op.f("fk_review_decisions_pupil_id_pupils")
        ),
        sa.UniqueConstraint("school_id", "key", name=op.f("uq_review_decisions_school_id")),
        *_school("review_decisions"),
    )


def downgrade():
    op.drop_table("review_decisions")
    op.drop_table("passport_suggestion_decisions")
    with op.batch_alter_table("concern_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_concern_actions_concern_id"))
    op.drop_table("concern_actions")
