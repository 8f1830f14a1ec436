"""Evidence captured on devices: immutable entry versions, the ops that carried them, attachments."""

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base, SchoolScoped, Synced, refers_to, utcnow


class Entry(Synced, SchoolScoped, Base):
    """One version of an entry. A correction is a new row naming base_rev; a delete is a tombstone."""

    __tablename__ = "entries"
    school_id_index = False  # ix_entries_pull_order leads with school_id
    __table_args__ = (
        UniqueConstraint("entry_id", "rev"),
        # A pull pages a school's entries in change order (models/sequence.py).
        Index("ix_entries_pull_order", "school_id", "server_xid", "server_seq"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Looked up through the (entry_id, rev) unique index; a second index only cost writes.
    entry_id: Mapped[str] = mapped_column(String(36))
    rev: Mapped[int]
    base_rev: Mapped[int | None]
    is_head: Mapped[bool] = mapped_column(default=True)
    deleted: Mapped[bool] = mapped_column(default=False)
    kind: Mapped[str] = mapped_column(String(20))
    template_id: Mapped[str] = mapped_column(String(64))
    template_version: Mapped[int]
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id"), index=True)
    # The pupils the entry is about, denormalised so scoping and the merge need no JSON queries.
    pupil_ids: Mapped[list] = mapped_column(JSON)
    date: Mapped[date]
    recorded_at: Mapped[datetime]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    author_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    device_id: Mapped[str] = mapped_column(String(64))
    core: Mapped[dict] = mapped_column(JSON)
    answers: Mapped[dict] = mapped_column(JSON)


class EntryPupil(SchoolScoped, Base):
    """Which pupils an entry version is about: the join that role scoping reads."""

    __tablename__ = "entry_pupils"
    school_id_index = False  # read by entry or by pupil, never by school
    school_id_foreign_key = False  # its entry's school
    __table_args__ = (
        # Only the pupil's own entries are found by pupil (passport suggestions). Indexing every
        # session's attendance by pupil put each push's six hundred rows on as many scattered
        # pages, which the commit then wrote out: half of what a push wrote, growing with time.
        Index(
            "ix_entry_pupils_subject",
            "pupil_id",
            sqlite_where=text("is_subject = 1"),
            postgresql_where=text("is_subject"),
        ),
    )

    # Written only with their entry, from the pupils the push checked: references the
    # database does not check (base.refers_to), deleted with the entry or the pupil.
    entry_pk: Mapped[int] = mapped_column(primary_key=True, info=refers_to("entries.id"))
    pupil_id: Mapped[int] = mapped_column(primary_key=True, info=refers_to("pupils.id"))
    # The entry is about this pupil alone (their own voice, a conversation about them), rather
    # than naming them among a session's attendance or a concern a walk raised.
    is_subject: Mapped[bool] = mapped_column(default=False, server_default=false())


class SyncOp(SchoolScoped, Base):
    """Every op ever accepted, by its device-minted id: replays are answered from here."""

    __tablename__ = "sync_ops"
    school_id_index = False  # read by op id or by device
    school_id_foreign_key = False  # the staff member's school, held by staff_id
    # Sequence numbers count per device, school and member of staff (see migration d4a9b2c7e815).
    __table_args__ = (UniqueConstraint("device_id", "school_id", "staff_id", "device_seq"),)

    op_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(64))
    device_seq: Mapped[int]
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    body_hash: Mapped[str] = mapped_column(String(64))
    op_type: Mapped[str] = mapped_column(String(20))
    # What the op produced, e.g. {"entry_id": ..., "rev": 2}, returned again on a duplicate.
    result: Mapped[dict] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class Attachment(SchoolScoped, Base):
    """A re-encoded image, stored by the sha256 of the bytes the device sent."""

    __tablename__ = "attachments"
    __table_args__ = (UniqueConstraint("school_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(30))
    width: Mapped[int]
    height: Mapped[int]
    size: Mapped[int]
    path: Mapped[str] = mapped_column(String(255))
    thumbnail_path: Mapped[str] = mapped_column(String(255))
    uploaded_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class Concern(SchoolScoped, Base):
    """A safeguarding concern raised by an entry; only the SENCO and DSLs see these."""

    __tablename__ = "concerns"

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id"), index=True)
    entry_pk: Mapped[int] = mapped_column(ForeignKey("entries.id"))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="open")
    raised_at: Mapped[datetime] = mapped_column(default=utcnow)
    handled_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    handled_at: Mapped[datetime | None]
    notes: Mapped[str | None] = mapped_column(Text)


class Template(Synced, SchoolScoped, Base):
    """A school's own form template. Each edit is a new version row; old versions stay valid."""

    __tablename__ = "templates"
    __table_args__ = (UniqueConstraint("school_id", "template_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    definition: Mapped[dict] = mapped_column(JSON)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SyncCounter(Base):
    """The per-school change sequence on SQLite. Bumping it locks the row until commit, so
    numbers become visible in order; PostgreSQL orders by transaction id instead (sequence.py)."""

    __tablename__ = "sync_counters"

    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), primary_key=True)
    value: Mapped[int] = mapped_column(default=0)
