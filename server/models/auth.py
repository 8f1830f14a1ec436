"""Server-side login sessions and login attempts, kept in the database so any worker can check them."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, utcnow
from server.models.school import Staff


class LoginSession(Base):
    __tablename__ = "login_sessions"

    # sha256 of the random token in the cookie, so a database leak does not leak sessions.
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    device_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    # Set while the device is in pupil mode: the login may then only add that pupil's voice
    # (server/pupil_mode.py). Read with the login itself, so checking it costs no query.
    pupil_grant_id: Mapped[int | None] = mapped_column(
        ForeignKey("pupil_mode_grants.id", ondelete="SET NULL")
    )
    # The school requires a second factor and this person has none yet: until they set one
    # up, the login may only do that (server/second_factor.py).
    second_factor_pending: Mapped[bool] = mapped_column(default=False, server_default=false())

    staff: Mapped[Staff] = relationship()


class LoginAttempt(Base):
    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    ip: Mapped[str] = mapped_column(String(45))
    succeeded: Mapped[bool]
    # The known-device cookie's key when the attempt came with one (server/login_limits.py):
    # such attempts are counted for that device, not against the account.
    device_key: Mapped[str | None] = mapped_column(String(32), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
