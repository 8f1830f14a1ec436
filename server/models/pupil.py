"""Pupils and their SEN history: provision records and ranked needs."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, SchoolScoped, Synced, utcnow


class Pupil(Synced, SchoolScoped, Base):
    __tablename__ = "pupils"
    __table_args__ = (UniqueConstraint("school_id", "upn"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    upn: Mapped[str] = mapped_column(String(13))
    forename: Mapped[str] = mapped_column(String(100))
    surname: Mapped[str] = mapped_column(String(100))
    preferred_name: Mapped[str | None] = mapped_column(String(100))
    dob: Mapped[date]
    gender: Mapped[str] = mapped_column(String(1))
    year_group: Mapped[str] = mapped_column(String(3))
    class_id: Mapped[int | None] = mapped_column(ForeignKey("classes.id", ondelete="SET NULL"))
    key_teacher_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    started_on: Mapped[date | None]
    looked_after: Mapped[bool] = mapped_column(default=False)
    pupil_premium: Mapped[bool] = mapped_column(default=False)
    eal: Mapped[bool] = mapped_column(default=False)
    photo_consent: Mapped[bool] = mapped_column(default=False)
    # Leavers are flagged, never deleted: their SEN record must survive for retention.
    on_roll: Mapped[bool] = mapped_column(default=True)
    left_on: Mapped[date | None]
    ehcp_annual_review_due: Mapped[date | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    provisions: Mapped[list["SenProvision"]] = relationship(
        back_populates="pupil", cascade="all, delete-orphan", order_by="SenProvision.start_date"
    )
    needs: Mapped[list["PupilNeed"]] = relationship(
        back_populates="pupil", cascade="all, delete-orphan", order_by="PupilNeed.rank"
    )

    @property
    def current_provision(self) -> "SenProvision | None":
        return next((p for p in self.provisions if p.end_date is None), None)

    @property
    def sen_provision(self) -> str:
        current = self.current_provision
        return current.code if current else "N"


class SenProvision(SchoolScoped, Base):
    """One dated N/K/E record; the DfE allows one open (no end date) per pupil."""

    __tablename__ = "sen_provisions"
    __table_args__ = (
        Index(
            "uq_sen_provisions_one_open",
            "pupil_id",
            unique=True,
            sqlite_where=text("end_date IS NULL"),
            postgresql_where=text("end_date IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(1))
    start_date: Mapped[date]
    end_date: Mapped[date | None]

    pupil: Mapped[Pupil] = relationship(back_populates="provisions")

    def sync_owner(self):
        return self.pupil


class PupilNeed(SchoolScoped, Base):
    """A census need type with its rank; rank 1 is the primary need."""

    __tablename__ = "pupil_needs"
    __table_args__ = (UniqueConstraint("pupil_id", "rank"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id", ondelete="CASCADE"), index=True)
    need_type: Mapped[str] = mapped_column(String(4))
    rank: Mapped[int]

    pupil: Mapped[Pupil] = relationship(back_populates="needs")

    def sync_owner(self):
        return self.pupil
