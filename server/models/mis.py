"""The nightly MIS exchange (DESIGN §7): where each school's roster comes from and its export
goes, the log of each run, the per-school lock, and who owns each SEN field of a pupil."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, SchoolScoped, utcnow
from server.models.pupil import Pupil

OWNERS = ("mis", "app")
SEN_FIELDS = ("sen_provision", "needs")


class MisSource(Base):
    """A school's MIS set-up. A school with one takes identity and enrolment from the MIS only.
    Secrets are never stored: `auth_env` names the environment variable holding the header
    value, so the database and its backups carry no token."""

    __tablename__ = "mis_sources"

    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), primary_key=True)
    roster_kind: Mapped[str] = mapped_column(String(4))  # file | http
    roster_location: Mapped[str] = mapped_column(String(500))  # a path or an https URL
    auth_header: Mapped[str] = mapped_column(String(60), default="Authorization")
    auth_env: Mapped[str | None] = mapped_column(String(100))
    export_dir: Mapped[str | None] = mapped_column(String(500))  # default: MIS_EXPORT_DIR/<dfe>
    export_url: Mapped[str | None] = mapped_column(String(500))
    export_auth_env: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class MisRun(SchoolScoped, Base):
    """One nightly run for one school: what came in, what went out, what was refused and which
    SEN fields differ from the MIS. The log a SENCO reads."""

    __tablename__ = "mis_runs"
    __table_args__ = (Index("ix_mis_runs_school_started", "school_id", "started_at"),)
    school_id_index = False  # the index above leads with school_id

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(8), default="running")
    trigger: Mapped[str] = mapped_column(String(8))  # schedule | app | cli
    source: Mapped[str] = mapped_column(String(4))  # file | http
    summary: Mapped[str] = mapped_column(Text, default="")
    counts: Mapped[dict] = mapped_column(JSON, default=dict)
    rejected: Mapped[list] = mapped_column(JSON, default=list)
    notes: Mapped[list] = mapped_column(JSON, default=list)
    differences: Mapped[list] = mapped_column(JSON, default=list)
    # The export folder this run wrote or found already identical; None if it made none.
    export_name: Mapped[str | None] = mapped_column(String(40))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    holder: Mapped[str] = mapped_column(String(120), default="")  # host:pid, for a stuck run


class MisLock(Base):
    """The per-school run lock where PostgreSQL's advisory locks are not available (SQLite):
    one row while a run holds the school. `holder` lets a run on the same host take over
    from one that was killed; `acquired_at` lets any host take over after a long time."""

    __tablename__ = "mis_locks"

    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), primary_key=True)
    holder: Mapped[str] = mapped_column(String(120))
    acquired_at: Mapped[datetime] = mapped_column(default=utcnow)


class SenFieldOwner(SchoolScoped, Base):
    """Who last changed one SEN field of a pupil (DESIGN §7): "mis" while the roster is the last
    writer, "app" once a SENCO has changed it here. `mis_value` is what the MIS said last, so
    a difference can be shown until the MIS sends the app's value back."""

    __tablename__ = "sen_field_owners"

    pupil_id: Mapped[int] = mapped_column(
        ForeignKey("pupils.id", ondelete="CASCADE"), primary_key=True
    )
    field: Mapped[str] = mapped_column(String(20), primary_key=True)  # SEN_FIELDS
    owner: Mapped[str] = mapped_column(String(3))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    mis_value: Mapped[str | list | None] = mapped_column(JSON)
    mis_seen_at: Mapped[datetime | None]

    pupil: Mapped[Pupil] = relationship()


class SenFieldChange(SchoolScoped, Base):
    """Every value either side gave a SEN field, applied or not: a SENCO's edit and the MIS
    value it overrode both stay here."""

    __tablename__ = "sen_field_changes"
    school_id_index = False  # read by pupil

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(3))  # mis | app
    value: Mapped[str | list] = mapped_column(JSON)
    applied: Mapped[bool]
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    pupil: Mapped[Pupil] = relationship()
