"""What the nightly SEN export reads, loaded for the whole school in a fixed handful of queries:
pupils on roll with their SEN history and needs, their groups with the provision map's figures,
this term's minutes from the running records, and their pupil-voice points.

"This term" is the school's term holding today; in a holiday, the last term that has begun;
with no terms set up, the school year from 1 September. Minutes and sessions in it are summed
from head session records by the merge's own rules (sync/merge/contributions.py), so the export
and the provision map count a session the same way.
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, subqueryload

from server.models import (
    Enrolment,
    Entry,
    Group,
    GroupStats,
    Intervention,
    Pupil,
    School,
    SchoolClass,
    Term,
    VoicePoint,
)
from sync.merge.contributions import Deltas


@dataclass
class ExportData:
    school: School
    today: date
    term: tuple[str, date, date]  # name, first day, last day counted
    pupils: list[Pupil]
    classes: dict[int, str]
    enrolments: list[dict] = field(default_factory=list)
    term_marks: dict = field(default_factory=dict)  # (group, pupil) -> merge PUPIL_COLUMNS
    group_sizes: dict = field(default_factory=dict)
    voice: dict = field(default_factory=dict)  # pupil id -> points, oldest first


def this_term(session: Session, school_id: int, today: date) -> tuple[str, date, date]:
    term = session.execute(
        select(Term.name, Term.starts_on, Term.ends_on)
        .where(Term.school_id == school_id, Term.starts_on <= today)
        .order_by(Term.starts_on.desc())
        .limit(1)
    ).first()
    if term:
        return term.name, term.starts_on, min(term.ends_on, today)
    year = today.year if today.month >= 9 else today.year - 1
    return f"School year {year}-{str(year + 1)[2:]}", date(year, 9, 1), today


def _pupils(session: Session, school_id: int) -> list[Pupil]:
    return list(
        session.scalars(
            select(Pupil)
            .where(Pupil.school_id == school_id, Pupil.on_roll.is_(True))
            # A subquery, not selectin's IN lists of 500 ids: psycopg converts each of those
            # long parameter lists in Python, a third of a second for 1,500 pupils.
            .options(subqueryload(Pupil.provisions), subqueryload(Pupil.needs))
            .order_by(Pupil.upn)
        )
    )


def _enrolments(session: Session, school_id: int) -> list[dict]:
    rows = session.execute(
        select(
            Enrolment.group_id,
            Enrolment.pupil_id,
            Enrolment.joined_on,
            Enrolment.left_on,
            Enrolment.entry_data,
            Enrolment.exit_data,
            Enrolment.target,
            Enrolment.target_review_date,
            Enrolment.outcome_status,
            Enrolment.outcome,
            Group.name.label("group"),
            Group.ratio,
            Group.review_date,
            Group.hourly_staff_cost_pence,
            Group.resource_cost_pence,
            Intervention.name.label("intervention"),
            Intervention.measure_type,
            GroupStats.minutes_delivered,
        )
        .join(Group, Enrolment.group_id == Group.id)
        .join(Intervention, Group.intervention_id == Intervention.id)
        .outerjoin(GroupStats, GroupStats.group_id == Group.id)
        .where(Enrolment.school_id == school_id)
        .order_by(Intervention.name, Group.name, Enrolment.group_id, Enrolment.pupil_id)
    )
    return [row._asdict() for row in rows]


def _term_marks(session: Session, school_id: int, first: date, last: date) -> dict:
    deltas = Deltas()
    for row in session.execute(
        select(Entry.group_id, Entry.core, Entry.date).where(
            Entry.school_id == school_id,
            Entry.kind == "session_record",
            Entry.is_head.is_(True),
            Entry.deleted.is_(False),
            Entry.date >= first,
            Entry.date <= last,
        )
    ):
        deltas.add_session({"group_id": row.group_id, "core": row.core, "date": row.date}, +1)
    return deltas.pupils


def _voice(session: Session, school_id: int) -> dict:
    found: dict = {}
    for point in session.execute(
        select(VoicePoint.pupil_id, VoicePoint.date, VoicePoint.score, VoicePoint.face)
        .where(VoicePoint.school_id == school_id)
        .order_by(VoicePoint.date, VoicePoint.entry_id)
    ):
        found.setdefault(point.pupil_id, []).append(point._asdict())
    return found


def load(session: Session, school_id: int, today: date) -> ExportData:
    school = session.get(School, school_id)
    classes = dict(
        session.execute(
            select(SchoolClass.id, SchoolClass.name).where(SchoolClass.school_id == school_id)
        ).all()
    )
    term = this_term(session, school_id, today)
    data = ExportData(school, today, term, _pupils(session, school_id), classes)
    data.enrolments = _enrolments(session, school_id)
    for row in data.enrolments:
        data.group_sizes[row["group_id"]] = data.group_sizes.get(row["group_id"], 0) + 1
    data.term_marks = _term_marks(session, school_id, term[1], term[2])
    data.voice = _voice(session, school_id)
    return data
