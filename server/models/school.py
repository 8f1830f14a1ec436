"""Schools, staff accounts, classes and terms."""

from datetime import date, datetime

from sqlalchemy import JSON, Column, ForeignKey, String, Table, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, SchoolScoped, Synced, utcnow

class_teachers = Table(
    "class_teachers",
    Base.metadata,
    Column("class_id", ForeignKey("classes.id", ondelete="CASCADE"), primary_key=True),
    Column("staff_id", ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True),
)


class School(Base):
    __tablename__ = "schools"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # LA number + DfE establishment number, e.g. "8201234": CTF SourceSchool/DestSchool.
    dfe_number: Mapped[str] = mapped_column(String(7), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Staff(Synced, SchoolScoped, Base):
    """A member of staff; those with a password and an active flag can log in."""

    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    role: Mapped[str] = mapped_column(String(10))
    job_title: Mapped[str | None] = mapped_column(String(100))
    is_dsl: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    password_hash: Mapped[str | None] = mapped_column(String(256))
    pin_hash: Mapped[str | None] = mapped_column(String(256))
    # Set when someone else chose the password (an admin's reset): until the person picks their
    # own, their session can do nothing else (server/auth.py).
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    classes: Mapped[list["SchoolClass"]] = relationship(
        secondary=class_teachers, back_populates="teachers"
    )

    @property
    def class_ids(self) -> list[int]:
        return sorted(school_class.id for school_class in self.classes)

    def __repr__(self) -> str:
        return f"<Staff {self.id} {self.role}>"


class SchoolClass(Synced, SchoolScoped, Base):
    __tablename__ = "classes"
    __table_args__ = (UniqueConstraint("school_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    year_group: Mapped[str] = mapped_column(String(3))
    # Quality-first, whole-class provision (visual timetables, writing frames ...): the
    # "differentiated provision in my classroom" header of the class provision map.
    classroom_provision: Mapped[list] = mapped_column(JSON, default=list)

    teachers: Mapped[list[Staff]] = relationship(
        secondary=class_teachers, back_populates="classes", order_by="Staff.name"
    )

    @property
    def teacher_ids(self) -> list[int]:
        return [teacher.id for teacher in self.teachers]


class Term(Synced, SchoolScoped, Base):
    """A school term; reviews, fidelity and 'this school year' counts hang off these dates."""

    __tablename__ = "terms"
    __table_args__ = (UniqueConstraint("school_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
