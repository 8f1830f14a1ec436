"""Review prompts (DESIGN §6): what is due or overdue, for the groups and pupils a user works with.

Each prompt is {kind, due_date, pupil_id, group_id, title, detail, link}; link is the API path of
the record to act on. Everything is computed from records and entries on each request, so a
prompt disappears as soon as the record that raised it is put right. `today` is a parameter so the
rules can be tested on any date; the API defaults it to today in Europe/London.
"""

from datetime import date, timedelta

from sqlalchemy import select

from server.models import Enrolment, Entry, Group, Staff, Term
from server.models.scope import visible_enrolment_ids, visible_group_ids
from sync.mis.differences import difference_prompts
from sync.review_pupils import pupil_prompts
from sync.review_words import day, humane

SOON = timedelta(days=14)  # "within two weeks" for termly target reviews
ATTENDED = ("present", "late")
LOW_ATTENDANCE, MIN_SESSIONS = 0.70, 3


def prompt(
    kind: str, due: date, title: str, detail: str, link: str, pupil_id=None, group_id=None
) -> dict:
    return {
        "kind": kind,
        "due_date": due,
        "pupil_id": pupil_id,
        "group_id": group_id,
        "title": title,
        "detail": detail,
        "link": link,
    }


def due_prompts(session, staff: Staff, today: date) -> list[dict]:
    groups = list(
        session.scalars(
            select(Group).where(
                Group.school_id == staff.school_id,
                Group.active.is_(True),
                Group.id.in_(visible_group_ids(staff)),
            )
        )
    )
    enrolments = list(
        session.scalars(
            select(Enrolment)
            .where(
                Enrolment.school_id == staff.school_id,
                Enrolment.left_on.is_(None),
                Enrolment.group_id.in_([g.id for g in groups]),
                Enrolment.id.in_(visible_enrolment_ids(staff)),
            )
            .order_by(Enrolment.id)
        )
    )
    records = _session_rows(session, staff.school_id, enrolments)
    found = [p for g in groups for p in _group_overdue(g, today)]
    found += _target_reviews(session, staff.school_id, enrolments, today)
    for enrolment in enrolments:
        rows = records.get((enrolment.group_id, enrolment.pupil_id), [])
        found += _exit_met(enrolment, rows) + _low_attendance(enrolment, rows, today)
    found += pupil_prompts(session, staff, today)
    found += difference_prompts(session, staff, today)  # SEN fields the MIS holds otherwise
    return sorted(
        found, key=lambda p: (p["due_date"], p["kind"], p["pupil_id"] or 0, p["group_id"] or 0)
    )


def _group_overdue(group: Group, today: date) -> list[dict]:
    if group.review_date is None or group.review_date >= today:
        return []
    return [
        prompt(
            "group_review_overdue",
            group.review_date,
            f"{group.name}: review overdue",
            f"{group.intervention.name} was due for review on "
            f"{day(group.review_date)}. Decide whether to continue, change or stop it.",
            f"/api/v1/groups/{group.id}",
            group_id=group.id,
        )
    ]


def _current_term(session, school_id: int, today: date) -> Term | None:
    return session.scalar(
        select(Term)
        .where(Term.school_id == school_id, Term.starts_on <= today, Term.ends_on >= today)
        .order_by(Term.ends_on)
    )


def _target_reviews(session, school_id: int, enrolments: list[Enrolment], today: date) -> list:
    """A target's own review date if it has one (within two weeks, or past); otherwise, with no
    outcome recorded yet, the end of the current term when that is within two weeks."""
    term = _current_term(session, school_id, today)
    found = []
    for e in enrolments:
        if not e.target:
            continue
        due = e.target_review_date
        if due is None and e.outcome is None and term is not None and term.ends_on <= today + SOON:
            due = term.ends_on
        if due is not None and due <= today + SOON:
            found.append(
                prompt(
                    "target_review_due",
                    due,
                    "Target review due",
                    f"Review the target in {e.group.name}: {e.target[:120]}",
                    f"/api/v1/enrolments/{e.id}",
                    e.pupil_id,
                    e.group_id,
                )
            )
    return found


def _session_rows(session, school_id: int, enrolments: list[Enrolment]) -> dict:
    """(group, pupil) -> that pupil's attendance rows from head running records, oldest first."""
    group_ids = {e.group_id for e in enrolments}
    entries = (
        session.scalars(
            select(Entry)
            .where(
                Entry.school_id == school_id,
                Entry.kind == "session_record",
                Entry.is_head.is_(True),
                Entry.deleted.is_(False),
                Entry.group_id.in_(group_ids),
            )
            .order_by(Entry.date, Entry.id)
        )
        if group_ids
        else []
    )
    rows: dict = {}
    for entry in entries:
        for row in entry.core.get("attendance", []):
            rows.setdefault((entry.group_id, row["pupil_id"]), []).append((entry.date, row))
    return rows


def _rule_met(rule: dict, value) -> bool:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return value is not None and "equals" in rule and value == rule["equals"]
    checks = {
        "at_least": lambda v, t: v >= t,
        "at_most": lambda v, t: v <= t,
        "equals": lambda v, t: v == t,
    }
    tests = [(checks[k], t) for k, t in rule.items() if k in checks]
    return bool(tests) and all(check(value, target) for check, target in tests)


def _exit_met(enrolment: Enrolment, rows: list) -> list[dict]:
    """Exit data if recorded, else the latest running-record value of the rule's field."""
    rule = enrolment.group.intervention.exit_rule or {}
    name = rule.get("field")
    if not name:
        return []
    value = (enrolment.exit_data or {}).get(name)
    if value is None:
        value = next((row[name] for _, row in reversed(rows) if row.get(name) is not None), None)
    if not _rule_met(rule, value):
        return []
    return [
        prompt(
            "exit_criteria_met",
            rows[-1][0] if rows else enrolment.joined_on,
            "Meets the exit criteria but still attending",
            f"{humane(name)} is {value} in {enrolment.group.name}. Consider ending the enrolment "
            "and recording the exit data and outcome.",
            f"/api/v1/enrolments/{enrolment.id}",
            enrolment.pupil_id,
            enrolment.group_id,
        )
    ]


def _low_attendance(enrolment: Enrolment, rows: list, today: date) -> list[dict]:
    """Present or late over the sessions recorded since the pupil joined; 3 sessions minimum so
    one missed session in week one does not raise an alarm."""
    recorded = [row for day, row in rows if enrolment.joined_on <= day <= today]
    if len(recorded) < MIN_SESSIONS:
        return []
    attended = sum(row["status"] in ATTENDED for row in recorded)
    if attended / len(recorded) >= LOW_ATTENDANCE:
        return []
    return [
        prompt(
            "low_attendance",
            today,
            "Attendance below 70%",
            f"Attended {attended} of {len(recorded)} recorded sessions of "
            f"{enrolment.group.name} ({round(100 * attended / len(recorded))}%).",
            f"/api/v1/enrolments/{enrolment.id}",
            enrolment.pupil_id,
            enrolment.group_id,
        )
    ]
