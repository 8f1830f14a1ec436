"""Subject access: everything held about one pupil, gathered for a person to read.

`gather` returns plain data (what the ZIP's data.json holds and its summary.html shows) and the
attachment hashes to put beside it. Third parties stay out by default:

- a record about several pupils keeps only this pupil's rows (entry_view's pupil cut), and any
  other pupil of the school named in free text reads "[another pupil]";
- safeguarding content (concern notes, safeguarding-tagged answers, the concerns themselves,
  and records tied to this pupil only by a concern) is left out unless a designated
  safeguarding lead asks for it deliberately (`include_concerns`).

Withdrawn records are left out: what is held is the current version of each record.
"""

import re
from types import SimpleNamespace

from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.codes import GENDERS, NEED_TYPES, SEN_PROVISION
from schemas.entries import KIND_WORDS
from schemas.templates import all_questions, safeguarding_question_ids
from server.models import (
    Concern,
    Enrolment,
    EnrolmentStats,
    Entry,
    EntryPupil,
    Group,
    Intervention,
    Passport,
    PassportField,
    PassportFieldVersion,
    Pupil,
    SchoolClass,
    Staff,
)
from sync import entry_view, print_words
from sync.templates import find_definition

ANOTHER_PUPIL = "[another pupil]"


def gather(session: Session, pupil: Pupil, include_concerns: bool = False) -> dict:
    redact = _redactor(session, pupil)
    staff = dict(
        session.execute(
            select(Staff.id, Staff.name).where(Staff.school_id == pupil.school_id)
        ).all()
    )
    entries = [e for e in _entries(session, pupil, include_concerns) if e]
    data = {
        "pupil": _identity(session, pupil),
        "sen_history": [
            {
                "provision": SEN_PROVISION.get(p.code, p.code),
                "code": p.code,
                "start_date": p.start_date.isoformat(),
                "end_date": p.end_date and p.end_date.isoformat(),
            }
            for p in pupil.provisions
        ],
        "needs": [
            {"rank": n.rank, "need": NEED_TYPES.get(n.need_type, n.need_type), "code": n.need_type}
            for n in pupil.needs
        ],
        "passport": _passport(session, pupil, staff, redact),
        "provision": _provision(session, pupil, redact),
        "records": [_readable(session, pupil.school_id, e, staff, redact) for e in entries],
        "concerns": _concerns(session, pupil, redact) if include_concerns else None,
        "left_out": _left_out(include_concerns),
    }
    data["attachments"] = sorted(
        {sha for e in entries for sha in e["core"].get("attachments") or ()}
    )
    return data


def _left_out(include_concerns: bool) -> list[str]:
    notes = ["Rows about other pupils in group records, and other pupils' names in notes."]
    if not include_concerns:
        notes.append("Safeguarding concerns and the answers passed to the safeguarding lead.")
    return notes


def _identity(session: Session, pupil: Pupil) -> dict:
    school_class = session.get(SchoolClass, pupil.class_id) if pupil.class_id else None
    return {
        "id": pupil.id,
        "upn": pupil.upn,
        "forename": pupil.forename,
        "surname": pupil.surname,
        "preferred_name": pupil.preferred_name,
        "dob": pupil.dob.isoformat(),
        "gender": GENDERS.get(pupil.gender, pupil.gender),
        "year_group": pupil.year_group,
        "class": school_class.name if school_class else None,
        "on_roll": pupil.on_roll,
        "left_on": pupil.left_on and pupil.left_on.isoformat(),
        "looked_after": pupil.looked_after,
        "pupil_premium": pupil.pupil_premium,
        "eal": pupil.eal,
        "photo_consent": pupil.photo_consent,
    }


def _passport(session: Session, pupil: Pupil, staff: dict, redact) -> dict:
    passport = session.scalar(select(Passport).where(Passport.pupil_id == pupil.id))
    fields = session.scalars(select(PassportField).where(PassportField.pupil_id == pupil.id)).all()
    versions = session.scalars(
        select(PassportFieldVersion)
        .where(PassportFieldVersion.pupil_id == pupil.id)
        .order_by(PassportFieldVersion.field, PassportFieldVersion.rev)
    ).all()
    return {
        "status": passport.status if passport else None,
        "agreed_on": passport and passport.agreed_on and passport.agreed_on.isoformat(),
        "shared_with_parent_on": passport
        and passport.shared_with_parent_on
        and passport.shared_with_parent_on.isoformat(),
        "fields": {f.field: redact(f.value) for f in fields},
        "history": [
            {
                "field": v.field,
                "rev": v.rev,
                "value": redact(v.value),
                "edited_by": staff.get(v.edited_by),
                "edited_at": v.edited_at.isoformat(),
            }
            for v in versions
        ],
    }


def _provision(session: Session, pupil: Pupil, redact) -> list[dict]:
    rows = session.execute(
        select(Enrolment, Group.name, Intervention.name, EnrolmentStats)
        .join(Group, Group.id == Enrolment.group_id)
        .join(Intervention, Intervention.id == Group.intervention_id)
        .outerjoin(
            EnrolmentStats,
            (EnrolmentStats.group_id == Enrolment.group_id)
            & (EnrolmentStats.pupil_id == Enrolment.pupil_id),
        )
        .where(Enrolment.pupil_id == pupil.id)
        .order_by(Enrolment.joined_on)
    ).all()
    return [
        {
            "group": group,
            "intervention": intervention,
            "joined_on": e.joined_on and e.joined_on.isoformat(),
            "left_on": e.left_on and e.left_on.isoformat(),
            "entry_data": e.entry_data,
            "exit_data": e.exit_data,
            "target": redact(e.target),
            "success_criteria": redact(e.success_criteria),
            "outcome": redact(e.outcome),
            "sessions_attended": stats.sessions_present + stats.sessions_late if stats else 0,
            "sessions_missed": stats.sessions_absent if stats else 0,
            "minutes_received": stats.minutes_received if stats else 0,
        }
        for e, group, intervention, stats in rows
    ]


def _entries(session: Session, pupil: Pupil, include_concerns: bool):
    """Head versions naming the pupil, oldest first, each cut to this pupil alone."""
    scope = SimpleNamespace(whole_school=False, staff_id=None, pupils={pupil.id})
    rows = session.scalars(
        select(Entry)
        .where(
            Entry.school_id == pupil.school_id,
            Entry.is_head.is_(True),
            Entry.deleted.is_(False),
            Entry.id.in_(select(EntryPupil.entry_pk).where(EntryPupil.pupil_id == pupil.id)),
        )
        .order_by(Entry.date, Entry.recorded_at)
    )
    for entry in rows:
        definition = (
            find_definition(session, pupil.school_id, entry.template_id, entry.template_version)
            or {}
        )
        tagged = frozenset(safeguarding_question_ids(definition))
        yield entry_view.cut(entry_view.dump(entry), scope, include_concerns, tagged)


def _readable(session: Session, school_id: int, entry: dict, staff: dict, redact) -> dict:
    """The record with its answers under their questions' own words."""
    definition = (
        find_definition(session, school_id, entry["template_id"], entry["template_version"]) or {}
    )
    questions = {q["id"]: q for q in all_questions(definition)}
    answers = [
        {
            "question": questions.get(qid, {}).get("prompt", print_words.humane(qid)),
            "answer": redact(print_words.answer(questions.get(qid, {}), value) or str(value)),
        }
        for qid, value in entry["answers"].items()
    ]
    return {
        "entry_id": entry["entry_id"],
        "kind": KIND_WORDS.get(entry["kind"], entry["kind"]),
        "date": entry["date"],
        "recorded_by": staff.get(entry["author_id"]),
        "template": definition.get("title", entry["template_id"]),
        "answers": answers,
        "details": _redact_deep(entry["core"], redact),
        "withheld": entry.get("withheld", {}).get("fields", []),
    }


def _concerns(session: Session, pupil: Pupil, redact) -> list[dict]:
    concerns = session.scalars(
        select(Concern).where(Concern.pupil_id == pupil.id).order_by(Concern.raised_at)
    )
    return [
        {
            "raised_at": c.raised_at.isoformat(),
            "reason": redact(c.reason),
            "status": c.status,
            "notes": redact(c.notes or ""),
        }
        for c in concerns
    ]


def _redact_deep(value, redact):
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list):
        return [_redact_deep(v, redact) for v in value]
    if isinstance(value, dict):
        return {k: _redact_deep(v, redact) for k, v in value.items()}
    return value


def _redactor(session: Session, pupil: Pupil):
    """Replace other pupils' names (full names first, then each capitalised name part that is
    not also this pupil's) in free text."""
    own = {pupil.forename, pupil.surname, pupil.preferred_name} - {None}
    others = session.execute(
        select(Pupil.forename, Pupil.surname, Pupil.preferred_name).where(
            Pupil.school_id == pupil.school_id, Pupil.id != pupil.id
        )
    ).all()
    names = {f"{a} {b}" for a, b, _ in others} | {
        part for row in others for part in row if part and part not in own and len(part) > 1
    }
    if not names:
        return lambda text: text
    pattern = re.compile(
        r"\b(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")\b"
    )
    return lambda text: pattern.sub(ANOTHER_PUPIL, text) if isinstance(text, str) else text
