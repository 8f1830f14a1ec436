"""A log of roster imports from the MIS: what came in, what changed, what was rejected."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base, SchoolScoped, utcnow


class RosterImport(SchoolScoped, Base):
    __tablename__ = "roster_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(255))
    file_format: Mapped[str] = mapped_column(String(4))
    sha256: Mapped[str] = mapped_column(String(64))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    status: Mapped[str] = mapped_column(String(10))
    counts: Mapped[dict] = mapped_column(JSON)
    rejected: Mapped[list] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(default=utcnow)
