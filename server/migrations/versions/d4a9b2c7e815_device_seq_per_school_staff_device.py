"""device_seq is unique per (device, school, member of staff), not per device.

A tablet whose browser is used by staff of two schools (a peripatetic TA, a trust's shared
devices) counted one sequence per school, so school B's ops 1-10 made school A's ops 1-10 on
the same device id "already used". The new key leads with device_id, as the old one did, so
the push's range lookup of a device's used numbers still walks one index.

Downgrading fails if two schools or two staff have since used the same number on one device.

Revision ID: d4a9b2c7e815
Revises: c3e8f1a27b6d
Create Date: 2026-12-02 18:30:00.000000
"""

from alembic import op

revision = "d4a9b2c7e815"
down_revision = "c3e8f1a27b6d"
branch_labels = None
depends_on = None

NAME = "uq_sync_ops_device_id"


def upgrade():
    with op.batch_alter_table("sync_ops") as batch_op:
        batch_op.drop_constraint(NAME, type_="unique")
        batch_op.create_unique_constraint(
            NAME, ["device_id", "school_id", "staff_id", "device_seq"]
        )


def downgrade():
    with op.batch_alter_table("sync_ops") as batch_op:
        batch_op.drop_constraint(NAME, type_="unique")
        batch_op.create_unique_constraint(NAME, ["device_id", "device_seq"])
