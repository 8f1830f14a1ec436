"""The provision map's reads: a fixed handful of set-based queries, however many groups.

Each function returns plain dicts keyed for assembly; none issues a query per group.
"""

from sqlalchemy import select

from server.models import (
    Enrolment,
    EnrolmentStats,
    Group,
    GroupStats,
    Intervention,
    Pupil,
    SchoolClass,
    Staff,
    Term,
    VoicePoint,
    group_staff,
)
from server.models.scope import visible_group_ids, visible_pupil_ids
from server.policy import WHOLE_SCHOOL_PUPILS, allows

GROUP_COLUMNS = (
    Group.id,
    Group.name,
    Group.sessions_per_week,
    Group.minutes_per_session,
    Group.weeks,
    Group.ratio,
    Group.start_date,
    Group.review_date,
    Group.hourly_staff_cost_pence,
    Group.resource_cost_pence,
    Group.funding_source,
    Group.location,
    Group.active,
    Group.days,
    Group.ended_on,
    Intervention.name.label("intervention"),
    Intervention.id.label("intervention_id"),
    Intervention.area_of_need,
    Intervention.measure_type,
    Intervention.entry_criteria,
    Intervention.exit_criteria,
)


def _pupils_where(filters: dict) -> list:
    where = []
    if filters.get("class_id") is not None:
        where.append(Pupil.class_id == filters["class_id"])
    if filters.get("year_group"):
        where.append(Pupil.year_group == filters["year_group"])
    return where


def groups(session, staff: Staff, filters: dict) -> list[dict]:
    query = (
        select(*GROUP_COLUMNS)
        .join(Intervention, Group.intervention_id == Intervention.id)
        .where(Group.school_id == staff.school_id, Group.id.in_(visible_group_ids(staff)))
    )
    if filters.get("area_of_need"):
        query = query.where(Intervention.area_of_need == filters["area_of_need"])
    if filters.get("funding_source"):
        query = query.where(Group.funding_source == filters["funding_source"])
    if filters.get("staff_id") is not None:
        query = query.where(
            Group.id.in_(
                select(group_staff.c.group_id).where(group_staff.c.staff_id == filters["staff_id"])
            )
        )
    pupil_where = _pupils_where(filters)
    if pupil_where:
        query = query.where(
            Group.id.in_(
                select(Enrolment.group_id)
                .join(Pupil, Enrolment.pupil_id == Pupil.id)
                .where(*pupil_where)
            )
        )
    return [r._asdict() for r in session.execute(query.order_by(Intervention.name, Group.name))]


def staff_by_group(session, group_ids: list) -> dict:
    rows = session.execute(
        select(group_staff.c.group_id, Staff.id, Staff.name, Staff.job_title, Staff.role)
        .join(Staff, Staff.id == group_staff.c.staff_id)
        .where(group_staff.c.group_id.in_(group_ids))
        .order_by(Staff.name)
    )
    found: dict = {}
    for r in rows:
        found.setdefault(r.group_id, []).append(
            {"id": r.id, "name": r.name, "job_title": r.job_title, "role": r.role}
        )
    return found


def enrolments_by_group(session, group_ids: list) -> dict:
    rows = session.execute(
        select(
            Enrolment.id,
            Enrolment.group_id,
            Enrolment.pupil_id,
            Enrolment.joined_on,
            Enrolment.left_on,
            Enrolment.entry_data,
            Enrolment.exit_data,
            Enrolment.target,
            Enrolment.success_criteria,
            Enrolment.target_review_date,
            Enrolment.outcome_status,
            Enrolment.outcome,
            Pupil.forename,
            Pupil.surname,
            Pupil.preferred_name,
            Pupil.class_id,
            Pupil.year_group,
        )
        .join(Pupil, Enrolment.pupil_id == Pupil.id)
        .where(Enrolment.group_id.in_(group_ids))
        .order_by(Pupil.surname, Pupil.forename)
    )
    found: dict = {}
    for r in rows:
        found.setdefault(r.group_id, []).append(r._asdict())
    return found


def stats(session, group_ids: list) -> tuple[dict, dict]:
    groups_ = {
        r.group_id: r._asdict()
        for r in session.execute(
            select(*GroupStats.__table__.columns).where(GroupStats.group_id.in_(group_ids))
        )
    }
    pupils = {
        (r.group_id, r.pupil_id): r._asdict()
        for r in session.execute(
            select(*EnrolmentStats.__table__.columns).where(EnrolmentStats.group_id.in_(group_ids))
        )
    }
    return groups_, pupils


def voice_by_pupil(session, group_ids: list) -> dict:
    in_groups = select(Enrolment.pupil_id).where(Enrolment.group_id.in_(group_ids))
    rows = session.execute(
        select(
            VoicePoint.pupil_id,
            VoicePoint.date,
            VoicePoint.score,
            VoicePoint.context,
            VoicePoint.group_id,
            VoicePoint.scale,
            VoicePoint.position,
            VoicePoint.face,
            VoicePoint.scale_type,
        )
        .where(VoicePoint.pupil_id.in_(in_groups))
        .order_by(VoicePoint.date, VoicePoint.entry_id)
    )
    found: dict = {}
    for r in rows:
        found.setdefault(r.pupil_id, []).append(
            {
                "pupil_id": r.pupil_id,
                "date": r.date.isoformat(),
                "score": r.score,
                "context": r.context,
                "group_id": r.group_id,
                # What the pupil chose, in the scale's own words; "score" is for averages only.
                "scale": r.scale,
                "position": r.position,
                "face": r.face,
                "scale_type": r.scale_type,
            }
        )
    return found


def terms(session, school_id: int) -> list[tuple]:
    return [
        tuple(r)
        for r in session.execute(
            select(Term.starts_on, Term.ends_on)
            .where(Term.school_id == school_id)
            .order_by(Term.starts_on)
        )
    ]


def shown_pupils(session, staff: Staff, filters: dict) -> set | None:
    """Pupils whose rows this map may show; None means every pupil of the groups shown."""
    where = _pupils_where(filters)
    if allows(staff.role, WHOLE_SCHOOL_PUPILS) and not where:
        return None
    query = select(Pupil.id).where(Pupil.id.in_(visible_pupil_ids(staff)), *where)
    return set(session.scalars(query))


def classroom_provision(session, school_id: int, class_id: int) -> dict | None:
    row = session.execute(
        select(
            SchoolClass.id,
            SchoolClass.name,
            SchoolClass.year_group,
            SchoolClass.classroom_provision,
        ).where(SchoolClass.id == class_id, SchoolClass.school_id == school_id)
    ).first()
    return row._asdict() if row else None


def classes(session, school_id: int) -> dict:
    """Class id -> {name, year_group}, for the class roll-up."""
    rows = session.execute(
        select(SchoolClass.id, SchoolClass.name, SchoolClass.year_group).where(
            SchoolClass.school_id == school_id
        )
    )
    return {r.id: {"name": r.name, "year_group": r.year_group} for r in rows}
