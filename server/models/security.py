"""Account safety and data-protection records: second factors, a school's security settings,
legal holds on pupils' records, and pupil-mode grants.

Each lives in its own table rather than as columns on staff, schools or pupils, so the rows
that say who may do what to whom are written (and audited) apart from the records they guard.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base, SchoolScoped, utcnow


class SecuritySettings(Base):
    """One row per school once anyone changes a default; no row means the defaults."""

    __tablename__ = "security_settings"

    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), primary_key=True)
    # SENCO, DSLs and admins must log in with a TOTP code as well as their password.
    second_factor_required: Mapped[bool] = mapped_column(default=False, server_default=false())
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SecondFactor(SchoolScoped, Base):
    """A member of staff's TOTP secret (RFC 6238, via pyotp). `pending` holds a secret being set
    up until a first code proves the authenticator app has it."""

    __tablename__ = "second_factors"
    school_id_index = False  # found by staff id

    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True
    )
    secret: Mapped[str | None] = mapped_column(String(64))
    pending: Mapped[str | None] = mapped_column(String(64))
    # The last 30-second step a code was accepted for: the same code never works twice.
    last_step: Mapped[int] = mapped_column(default=0)
    enabled_at: Mapped[datetime | None]


class LegalHold(SchoolScoped, Base):
    """While a pupil is on legal hold, retention never purges their records."""

    __tablename__ = "legal_holds"
    school_id_index = False  # found by pupil id

    pupil_id: Mapped[int] = mapped_column(
        ForeignKey("pupils.id", ondelete="CASCADE"), primary_key=True
    )
    # Why (a claim, an inquiry): read by the SENCO deciding when to lift it. No pupil data.
    reason: Mapped[str] = mapped_column(Text)
    placed_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    placed_at: Mapped[datetime] = mapped_column(default=utcnow)


class PupilModeGrant(SchoolScoped, Base):
    """A staff login handed to one pupil: while it lasts the login may only add that pupil's
    voice entry and drawing (server/pupil_mode.py). `login_hash` names the LoginSession it
    suspends; `resume_check` is sha256 of the key the device derives from the staff PIN, so
    only the PIN gives the login back."""

    __tablename__ = "pupil_mode_grants"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id", ondelete="CASCADE"))
    login_hash: Mapped[str] = mapped_column(String(64), index=True)
    device_id: Mapped[str | None] = mapped_column(String(64))
    # The ticket the device was given at its last sync: each starts one grant, once.
    ticket: Mapped[str | None] = mapped_column(String(32), unique=True)
    resume_check: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    ended_by: Mapped[str | None] = mapped_column(String(10))  # "pin" | "login"
