"""Projections the merge keeps up to date from entries: never typed in, always rebuildable.

Each head entry version contributes fixed amounts; a correction or tombstone takes the old
version's contribution away and adds the new one, so incremental == rebuild by construction.
"""

from datetime import date

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base, SchoolScoped


class GroupStats(SchoolScoped, Base):
    """Sessions actually delivered for a group, from its running records."""

    __tablename__ = "group_stats"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    sessions_delivered: Mapped[int] = mapped_column(default=0)
    sessions_as_planned: Mapped[int] = mapped_column(default=0)
    minutes_delivered: Mapped[int] = mapped_column(default=0)
    first_session: Mapped[date | None]
    last_session: Mapped[date | None]


class EnrolmentStats(SchoolScoped, Base):
    """What one pupil received from one group: attendance, minutes and engagement."""

    __tablename__ = "enrolment_stats"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id"), primary_key=True)
    sessions_present: Mapped[int] = mapped_column(default=0)
    sessions_late: Mapped[int] = mapped_column(default=0)
    sessions_absent: Mapped[int] = mapped_column(default=0)
    minutes_received: Mapped[int] = mapped_column(default=0)
    engagement_total: Mapped[int] = mapped_column(default=0)
    engagement_count: Mapped[int] = mapped_column(default=0)


class VoicePoint(SchoolScoped, Base):
    """One pupil-voice entry: its overall rating (0-100) for averages and the trend line, and the
    first rating the pupil gave, as chosen: its scale, the position on it and that position's
    words (schemas/scale_words.py), so "Happy" on three faces never reads as "Very happy"."""

    __tablename__ = "voice_points"

    entry_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id"))
    date: Mapped[date]
    score: Mapped[int]
    context: Mapped[str] = mapped_column(String(30))
    # Empty on points merged before these columns existed, until `flask sync rebuild`.
    scale_type: Mapped[str | None] = mapped_column(String(10))
    scale: Mapped[int | None]
    position: Mapped[int | None]
    face: Mapped[str | None] = mapped_column(String(40))
