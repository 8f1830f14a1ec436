"""What one member of staff may write and read, computed once per request as plain sets."""

from dataclasses import dataclass, field
from functools import lru_cache
from types import SimpleNamespace

from sqlalchemy import bindparam
from sqlalchemy.orm import Session

from server.models import Staff
from server.models.scope import visible_group_ids, visible_pupil_ids
from server.policy import WHOLE_SCHOOL_ENTRIES, allows, capture_kinds, may_amend_entry


@dataclass
class Scope:
    staff: Staff
    pupils: set[int] = field(default_factory=set)
    groups: set[int] = field(default_factory=set)

    def __post_init__(self):
        # Plain copies, read per op on the push path: the ORM object's attributes cost a
        # descriptor call each, and a reload after every commit.
        self.staff_id, self.school_id, self.role = (
            self.staff.id,
            self.staff.school_id,
            self.staff.role,
        )

    @property
    def whole_school(self) -> bool:
        """Reads every entry whole: every pupil's rows of it."""
        return allows(self.role, WHOLE_SCHOOL_ENTRIES)

    def can_write(self, kind: str) -> bool:
        return kind in capture_kinds(self.role)

    def can_amend(self, author_id: int | None, pupil_ids) -> bool:
        """Correct or withdraw a stored version: its author or the SENCO, and only while every
        pupil of that version is in scope (a TA cannot rewrite rows it cannot read)."""
        return may_amend_entry(self.role, self.staff_id, author_id) and all(
            p in self.pupils for p in pupil_ids
        )


def scope_for(session: Session, staff: Staff) -> Scope:
    # Core execution on the connection: two id lists need no ORM, and every push asks for them.
    connection = session.connection()
    pupils, groups = _scope_queries(staff.role)
    ids = {"staff_id": staff.id, "school_id": staff.school_id}
    return Scope(
        staff=staff,
        pupils=set(connection.scalars(pupils, ids)),
        groups=set(connection.scalars(groups, ids)),
    )


@lru_cache
def _scope_queries(role: str):
    """The role's two scope queries, with the staff member's ids left as parameters: built once
    per role, not per request, so SQLAlchemy need not build and re-key them every push."""
    anyone = SimpleNamespace(id=bindparam("staff_id"), school_id=bindparam("school_id"), role=role)
    return visible_pupil_ids(anyone), visible_group_ids(anyone)
