"""What one member of staff may write and read, computed once per request as plain sets."""
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from server.models import Staff
from server.models.scope import visible_group_ids, visible_pupil_ids

# DESIGN §3: TAs write running records and pupil voice; teachers and the SENCO write every kind.
WRITABLE_KINDS = {
    "senco": {"session_record", "pupil_voice", "conversation", "learning_walk"},
    "teacher": {"session_record", "pupil_voice", "conversation", "learning_walk"},
    "ta": {"session_record", "pupil_voice"},
}
READABLE_KINDS = WRITABLE_KINDS


@dataclass
class Scope:
    staff: Staff
    pupils: set[int] = field(default_factory=set)
    groups: set[int] = field(default_factory=set)

    @property
    def school_id(self) -> int:
        return self.staff.school_id

    @property
    def whole_school(self) -> bool:
        return self.staff.role == "senco"

    def can_write(self, kind: str) -> bool:
        return kind in WRITABLE_KINDS.get(self.staff.role, set())

    def can_read(self, kind: str) -> bool:
        return kind in READABLE_KINDS.get(self.staff.role, set())


def scope_for(session: Session, staff: Staff) -> Scope:
    return Scope(staff=staff,
                 pupils=set(session.scalars(visible_pupil_ids(staff))),
                 groups=set(session.scalars(visible_group_ids(staff))))
