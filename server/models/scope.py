"""Who may see which rows: the role scoping every read goes through (DESIGN §3)."""

from sqlalchemy import Select, false, or_, select

from server.models.provision import Enrolment, Group, group_staff
from server.models.pupil import Pupil
from server.models.school import Staff, class_teachers
from server.policy import ROLES, WHOLE_SCHOOL_GROUPS, WHOLE_SCHOOL_PUPILS, allows


def _delivered_group_ids(staff: Staff) -> Select:
    return select(group_staff.c.group_id).where(group_staff.c.staff_id == staff.id)


def visible_pupil_ids(staff: Staff) -> Select:
    """Pupils a member of staff may see: all for SENCO/admin, own classes, own groups, none."""
    query = select(Pupil.id).where(Pupil.school_id == staff.school_id)
    if allows(staff.role, WHOLE_SCHOOL_PUPILS):
        return query
    if staff.role == "teacher":
        own_classes = select(class_teachers.c.class_id).where(class_teachers.c.staff_id == staff.id)
        return query.where(or_(Pupil.class_id.in_(own_classes), Pupil.key_teacher_id == staff.id))
    if staff.role == "ta":
        in_my_groups = select(Enrolment.pupil_id).where(
            Enrolment.group_id.in_(_delivered_group_ids(staff)), Enrolment.left_on.is_(None)
        )
        return query.where(Pupil.id.in_(in_my_groups))
    return query.where(false())


def visible_staff_ids(staff: Staff) -> Select:
    """The school's staff directory: its own staff, not a trust viewer kept at it, whom no
    school admin may edit, reset or deactivate (docs/trust.md)."""
    return select(Staff.id).where(Staff.school_id == staff.school_id, Staff.role.in_(ROLES))


def visible_group_ids(staff: Staff) -> Select:
    """Groups: the whole school's for SENCO/admin/viewer (aggregate), else those touching my pupils."""
    query = select(Group.id).where(Group.school_id == staff.school_id)
    if allows(staff.role, WHOLE_SCHOOL_GROUPS):
        return query
    if staff.role == "ta":
        return query.where(Group.id.in_(_delivered_group_ids(staff)))
    with_my_pupils = select(Enrolment.group_id).where(
        Enrolment.pupil_id.in_(visible_pupil_ids(staff))
    )
    return query.where(Group.id.in_(with_my_pupils))


def visible_enrolment_ids(staff: Staff) -> Select:
    query = select(Enrolment.id).where(Enrolment.school_id == staff.school_id)
    if allows(staff.role, WHOLE_SCHOOL_PUPILS):
        return query
    if staff.role == "ta":
        return query.where(Enrolment.group_id.in_(_delivered_group_ids(staff)))
    if staff.role == "teacher":
        return query.where(Enrolment.pupil_id.in_(visible_pupil_ids(staff)))
    return query.where(false())
