"""Pupil passport fields edited by hand, versioned per field, and the conflicts stale edits raise."""

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base, SchoolScoped, Synced, utcnow


class Passport(Synced, SchoolScoped, Base):
    __tablename__ = "passports"
    __table_args__ = (UniqueConstraint("pupil_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id"))
    status: Mapped[str] = mapped_column(String(10), default="draft")
    agreed_on: Mapped[date | None]
    shared_with_parent_on: Mapped[date | None]
    parent_acknowledged_on: Mapped[date | None]
    parent_comments: Mapped[str | None] = mapped_column(Text)


class PassportField(Synced, SchoolScoped, Base):
    """The current value of one hand-edited field; rev rises by one with each accepted edit."""

    __tablename__ = "passport_fields"
    __table_args__ = (UniqueConstraint("pupil_id", "field"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id"), index=True)
    field: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(Text)
    rev: Mapped[int]
    edited_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    edited_at: Mapped[datetime] = mapped_column(default=utcnow)


class PassportFieldVersion(SchoolScoped, Base):
    """Every value a field has had, so an edit is never lost even when a later one replaces it."""

    __tablename__ = "passport_field_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id"), index=True)
    field: Mapped[str] = mapped_column(String(40))
    rev: Mapped[int]
    value: Mapped[str] = mapped_column(Text)
    edited_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    edited_at: Mapped[datetime] = mapped_column(default=utcnow)
    op_id: Mapped[str | None] = mapped_column(String(36))


class PassportConflict(Synced, SchoolScoped, Base):
    """A stale edit: both values kept until the SENCO chooses. Never last-writer-wins."""

    __tablename__ = "passport_conflicts"

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id"), index=True)
    field: Mapped[str] = mapped_column(String(40))
    base_rev: Mapped[int]
    current_rev: Mapped[int]
    current_value: Mapped[str] = mapped_column(Text)
    proposed_value: Mapped[str] = mapped_column(Text)
    proposed_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    op_id: Mapped[str] = mapped_column(String(36))
    status: Mapped[str] = mapped_column(String(10), default="open")
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    resolved_at: Mapped[datetime | None]
    resolution: Mapped[dict | None] = mapped_column(JSON)
    raised_at: Mapped[datetime] = mapped_column(default=utcnow)
