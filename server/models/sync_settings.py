"""How much history a device takes offline: one row per school once anyone changes the default
(no row means the defaults below). Read by sync/pull_window.py."""

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base, utcnow

# The current term and the one before it: what a SENCO or TA works with offline (issue 16).
DEFAULT_ENTRY_TERMS = 2


class SyncSettings(Base):
    __tablename__ = "sync_settings"

    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), primary_key=True)
    # Entries a device's first sync carries: those dated in the last N terms as the school
    # records them (a school that records half-terms sets twice as many); None means every
    # entry ever. Older entries are read online through GET /api/v1/entries.
    entry_terms: Mapped[int | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
