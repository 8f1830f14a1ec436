"""Which schools a trust's or local authority's viewer may see, in aggregate (issue 16).

One row per (la_viewer account, school). The row belongs to the school it opens (school_id),
so each school's audit log shows when a trust or LA was given, or lost, its figures.
Granted and revoked only by an operator on the command line (server/cli_trust.py): no school's
admin can widen what an outside account sees.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base, SchoolScoped, utcnow


class TrustGrant(SchoolScoped, Base):
    __tablename__ = "trust_grants"
    __table_args__ = (UniqueConstraint("staff_id", "school_id"),)
    school_id_index = False  # found by staff id, the unique constraint's leading column

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
