"""What staff decided about what the app put in front of them: the actions taken on a
safeguarding concern, passport suggestions used or dismissed, review prompts done, snoozed or
not needed. Kept on the server, so a decision made on one tablet holds on every device, and
audited like every other write (the flush hook in models/audit.py)."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base, SchoolScoped, utcnow


class ConcernAction(SchoolScoped, Base):
    """One thing done about a concern ("spoke to pupil", "referred to children's social care"),
    with a note. Actions are never edited: a correction is another action."""

    __tablename__ = "concern_actions"
    school_id_index = False  # always read through the concern

    id: Mapped[int] = mapped_column(primary_key=True)
    concern_id: Mapped[int] = mapped_column(ForeignKey("concerns.id"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)
    taken_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    taken_at: Mapped[datetime] = mapped_column(default=utcnow)


class SuggestionDecision(SchoolScoped, Base):
    """A passport suggestion (one answer in one entry, for one field) that was used or dismissed,
    so it is not offered again."""

    __tablename__ = "passport_suggestion_decisions"
    school_id_index = False  # read by pupil
    __table_args__ = (UniqueConstraint("pupil_id", "field", "entry_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id"))
    field: Mapped[str] = mapped_column(String(40))
    entry_id: Mapped[str] = mapped_column(String(36))
    question_id: Mapped[str] = mapped_column(String(64))
    decision: Mapped[str] = mapped_column(String(10))  # accepted | dismissed
    decided_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReviewDecision(SchoolScoped, Base):
    """A review prompt marked done, snoozed until a day, or not needed with a reason. The key
    names the prompt (sync/review_keys.py); one decision per prompt, the newest kept (the audit
    log keeps the ones before)."""

    __tablename__ = "review_decisions"
    school_id_index = False  # the unique constraint leads with school_id
    __table_args__ = (UniqueConstraint("school_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    pupil_id: Mapped[int | None] = mapped_column(ForeignKey("pupils.id"))
    # No foreign key: a group may be deleted (server/api/provision.py), and a decision about
    # one of its reviews must not stand in the way, nor turn the delete into an error.
    group_id: Mapped[int | None]
    decision: Mapped[str] = mapped_column(String(12))  # done | snoozed | not_needed
    until: Mapped[date | None]
    reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
