"""The nightly MIS exchange: each school's MIS source, a log of runs, a per-school run lock
(used where PostgreSQL advisory locks are not available), and who owns each SEN field of a
pupil, with every value either side gave it.

Revision ID: 3b9e6d1f0c72
Revises: a8d3f5c2e914
Create Date: 2026-12-03 09:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "3b9e6d1f0c72"
down_revision = "a8d3f5c2e914"
branch_labels = None
depends_on = None


def _school_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["school_id"], ["schools.id"], name=op.f(f"fk_{table}_school_id_schools")
    )


def _pupil_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["pupil_id"], ["pupils.id"], name=op.f(f"fk_{table}_pupil_id_pupils"), ondelete="CASCADE"
    )


def upgrade():
    op.create_table(
        "mis_locks",
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("holder", sa.String(length=120), nullable=False),
        sa.Column("acquired_at", sa.DateTime(timezone=True), nullable=False),
        _school_fk("mis_locks"),
        sa.PrimaryKeyConstraint("school_id", name=op.f("pk_mis_locks")),
    )
    op.create_table(
        "mis_sources",
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("roster_kind", sa.String(length=4), nullable=False),
        sa.Column("roster_location", sa.String(length=500), nullable=False),
        sa.Column("auth_header", sa.String(length=60), nullable=False),
        sa.Column("auth_env", sa.String(length=100), nullable=True),
        sa.Column("export_dir", sa.String(length=500), nullable=True),
        sa.Column("export_url", sa.String(length=500), nullable=True),
        sa.Column("export_auth_env", sa.String(length=100), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _school_fk("mis_sources"),
        sa.PrimaryKeyConstraint("school_id", name=op.f("pk_mis_sources")),
    )
    op.create_table(
        "mis_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("trigger", sa.String(length=8), nullable=False),
        sa.Column("source", sa.String(length=4), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("rejected", sa.JSON(), nullable=False),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.Column("differences", sa.JSON(), nullable=False),
        sa.Column("export_name", sa.String(length=40), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("holder", sa.String(length=120), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["staff.id"], name=op.f("fk_mis_runs_actor_id_staff")
        ),
        _school_fk("mis_runs"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mis_runs")),
    )
    op.create_index(
        "ix_mis_runs_school_started", "mis_runs", ["school_id", "started_at"], unique=False
    )
    op.create_table(
        "sen_field_owners",
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=20), nullable=False),
        sa.Column("owner", sa.String(length=3), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.Integer(), nullable=True),
        sa.Column("mis_value", sa.JSON(), nullable=True),
        sa.Column("mis_seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["changed_by"], ["staff.id"], name=op.f("fk_sen_field_owners_changed_by_staff")
        ),
        _pupil_fk("sen_field_owners"),
        _school_fk("sen_field_owners"),
        sa.PrimaryKeyConstraint("pupil_id", "field", name=op.f("pk_sen_field_owners")),
    )
    op.create_index(
        op.f("ix_sen_field_owners_school_id"), "sen_field_owners", ["school_id"], unique=False
    )
    op.create_table(
        "sen_field_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=3), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("applied", sa.Boolean(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        _pupil_fk("sen_field_changes"),
        _school_fk("sen_field_changes"),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_sen_field_changes_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sen_field_changes")),
    )
    op.create_index(
        op.f("ix_sen_field_changes_pupil_id"), "sen_field_changes", ["pupil_id"], unique=False
    )


def downgrade():
    op.drop_index(op.f("ix_sen_field_changes_pupil_id"), table_name="sen_field_changes")
    op.drop_table("sen_field_changes")
    op.drop_index(op.f("ix_sen_field_owners_school_id"), table_name="sen_field_owners")
    op.drop_table("sen_field_owners")
    op.drop_index("ix_mis_runs_school_started", table_name="mis_runs")
    op.drop_table("mis_runs")
    op.drop_table("mis_sources")
    op.drop_table("mis_locks")
