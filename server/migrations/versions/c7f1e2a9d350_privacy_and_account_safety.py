"""Privacy and account safety (issue 15): second factors, a school's security settings, legal
holds, pupil-mode grants, and the login columns that use them.

- security_settings: per school, whether SENCO, DSLs and admins need a TOTP code at login.
- second_factors: a member of staff's TOTP secret (and one being set up).
- legal_holds: a pupil whose records retention must not purge.
- pupil_mode_grants: a staff login handed to one pupil for a short time.
- login_sessions.pupil_grant_id / second_factor_pending: what a login is limited to.
- login_attempts.device_key: attempts made from a known device count for that device.

Revision ID: c7f1e2a9d350
Revises: c9f4e2a7d8b1
Create Date: 2026-12-03 12:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "c7f1e2a9d350"
down_revision = "c9f4e2a7d8b1"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "security_settings",
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column(
            "second_factor_required", sa.Boolean(), nullable=False, server_default=sa.false()
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name="fk_security_settings_school_id_schools"
        ),
        sa.PrimaryKeyConstraint("school_id", name="pk_security_settings"),
    )
    op.create_table(
        "second_factors",
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("secret", sa.String(length=64), nullable=True),
        sa.Column("pending", sa.String(length=64), nullable=True),
        sa.Column("last_step", sa.Integer(), nullable=False),
        sa.Column("enabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name="fk_second_factors_school_id_schools"
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name="fk_second_factors_staff_id_staff",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("staff_id", name="pk_second_factors"),
    )
    op.create_table(
        "legal_holds",
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("placed_by", sa.Integer(), nullable=True),
        sa.Column("placed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["placed_by"], ["staff.id"], name="fk_legal_holds_placed_by_staff", ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"], ["pupils.id"], name="fk_legal_holds_pupil_id_pupils", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name="fk_legal_holds_school_id_schools"
        ),
        sa.PrimaryKeyConstraint("pupil_id", name="pk_legal_holds"),
    )
    op.create_table(
        "pupil_mode_grants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("login_hash", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=True),
        sa.Column("ticket", sa.String(length=32), nullable=True),
        sa.Column("resume_check", sa.String(length=64), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_by", sa.String(length=10), nullable=True),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupils.id"],
            name="fk_pupil_mode_grants_pupil_id_pupils",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name="fk_pupil_mode_grants_school_id_schools"
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name="fk_pupil_mode_grants_staff_id_staff",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_pupil_mode_grants"),
        sa.UniqueConstraint("ticket", name="uq_pupil_mode_grants_ticket"),
    )
    with op.batch_alter_table("pupil_mode_grants", schema=None) as batch_op:
        batch_op.create_index("ix_pupil_mode_grants_login_hash", ["login_hash"], unique=False)
        batch_op.create_index("ix_pupil_mode_grants_school_id", ["school_id"], unique=False)
        batch_op.create_index("ix_pupil_mode_grants_staff_id", ["staff_id"], unique=False)
    with op.batch_alter_table("login_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pupil_grant_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "second_factor_pending", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
        batch_op.create_foreign_key(
            "fk_login_sessions_pupil_grant_id_pupil_mode_grants",
            "pupil_mode_grants",
            ["pupil_grant_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("login_attempts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("device_key", sa.String(length=32), nullable=True))
        batch_op.create_index("ix_login_attempts_device_key", ["device_key"], unique=False)


def downgrade():
    with op.batch_alter_table("login_attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_login_attempts_device_key")
        batch_op.drop_column("device_key")
    with op.batch_alter_table("login_sessions", schema=None) as batch_op:
        batch_op.drop_constraint(
            "fk_login_sessions_pupil_grant_id_pupil_mode_grants", type_="foreignkey"
        )
        batch_op.drop_column("second_factor_pending")
        batch_op.drop_column("pupil_grant_id")
    op.drop_table("pupil_mode_grants")
    op.drop_table("legal_holds")
    op.drop_table("second_factors")
    op.drop_table("security_settings")
