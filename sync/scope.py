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

    def __post_init__(self):
        # Plain copies, read per op on the push path: the ORM object's attributes cost a
        # descriptor call each, and a reload after every commit.
        self.staff_id, self.school_id, self.role = (self.staff.id, self.staff.school_id,
                                                    self.staff.role)

    @property
    def whole_school(self) -> bool:
        return self.role == "senco"

    def can_write(self, kind: str) -> bool:
        return kind in WRITABLE_KINDS.get(self.role, set())

    def can_read(self, kind: str) -> bool:
        return kind in READABLE_KINDS.get(self.role, set())


def scope_for(session: Session, staff: Staff) -> Scope:
    # Core execution on the connection: two id lists need no ORM, and every push asks for them.
    connection = session.connection()
    return Scope(staff=staff,
                 pupils=set(connection.scalars(visible_pupil_ids(staff))),
                 groups=set(connection.scalars(visible_group_ids(staff))))
