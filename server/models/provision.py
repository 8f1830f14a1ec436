"""The intervention catalogue, groups (one run of an intervention) and enrolments."""

from datetime import date

from sqlalchemy import JSON, Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, SchoolScoped, Synced
from server.models.pupil import Pupil
from server.models.school import Staff

group_staff = Table(
    "group_staff",
    Base.metadata,
    Column("group_id", ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
    Column("staff_id", ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True),
)


class Intervention(Synced, SchoolScoped, Base):
    __tablename__ = "interventions"
    __table_args__ = (UniqueConstraint("school_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    area_of_need: Mapped[str] = mapped_column(String(4))
    description: Mapped[str | None] = mapped_column(Text)
    evidence_note: Mapped[str | None] = mapped_column(Text)
    measure_type: Mapped[str] = mapped_column(String(20))
    entry_criteria: Mapped[str | None] = mapped_column(Text)
    exit_criteria: Mapped[str | None] = mapped_column(Text)
    # The machine-checkable part of the exit criteria, e.g. {"field": "score", "at_least": 85}.
    exit_rule: Mapped[dict | None] = mapped_column(JSON)
    # The cost basis a new group of this intervention starts from (the SENCO may change it).
    default_hourly_staff_cost_pence: Mapped[int | None]
    default_resource_cost_pence: Mapped[int | None]


class Group(Synced, SchoolScoped, Base):
    """One run of an intervention: who delivers it, when, how often, and what it costs."""

    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    intervention_id: Mapped[int] = mapped_column(ForeignKey("interventions.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    sessions_per_week: Mapped[int]
    minutes_per_session: Mapped[int]
    weeks: Mapped[int]
    ratio: Mapped[str] = mapped_column(String(10))
    start_date: Mapped[date]
    review_date: Mapped[date | None]
    # Money in pence so sums are exact on every database.
    hourly_staff_cost_pence: Mapped[int] = mapped_column(default=0)
    resource_cost_pence: Mapped[int] = mapped_column(default=0)
    funding_source: Mapped[str] = mapped_column(String(20))
    location: Mapped[str | None] = mapped_column(String(120))
    # The weekdays it runs, e.g. ["mon", "wed", "fri"]; None for groups set up without them.
    days: Mapped[list | None] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(default=True)
    # The day the SENCO ended it: open enrolments leave on this day (server/api/group_end.py).
    ended_on: Mapped[date | None]

    intervention: Mapped[Intervention] = relationship()
    staff: Mapped[list[Staff]] = relationship(secondary=group_staff, order_by="Staff.name")
    enrolments: Mapped[list["Enrolment"]] = relationship(
        back_populates="group", cascade="all, delete-orphan"
    )

    @property
    def staff_ids(self) -> list[int]:
        return [member.id for member in self.staff]


class Enrolment(Synced, SchoolScoped, Base):
    """A pupil in a group, with baseline and exit data typed by the intervention's measure."""

    __tablename__ = "enrolments"
    __table_args__ = (
        UniqueConstraint("group_id", "pupil_id"),
        # Every push with session records reads a group's roll; covering it keeps that read in
        # the index, off the rows with their JSON (migration e7c1d5a3b902).
        Index("ix_enrolments_roll", "group_id", "pupil_id", "joined_on", "left_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id"), index=True)
    joined_on: Mapped[date]
    left_on: Mapped[date | None]
    entry_data: Mapped[dict | None] = mapped_column(JSON)
    exit_data: Mapped[dict | None] = mapped_column(JSON)
    target: Mapped[str | None] = mapped_column(Text)
    success_criteria: Mapped[str | None] = mapped_column(Text)
    target_review_date: Mapped[date | None]
    # met | partly_met | not_met | stopped (schemas.codes.OUTCOMES); `outcome` is the note.
    outcome_status: Mapped[str | None] = mapped_column(String(12))
    outcome: Mapped[str | None] = mapped_column(Text)

    group: Mapped[Group] = relationship(back_populates="enrolments")
    pupil: Mapped[Pupil] = relationship()
