"""Review prompts about one pupil: parent acknowledgements, EHCP annual reviews, and how often
the school has had a structured conversation with the parents this year."""

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from server.models import Entry, Passport, Pupil, SenProvision, Staff
from server.models.scope import visible_pupil_ids
from server.policy import readable_kinds
from sync.review_words import day, plural

ACK_WAIT = timedelta(days=14)
EHCP_WINDOW = timedelta(weeks=8)
CONVERSATIONS_A_YEAR = 3  # "at least termly" (FORMS.md §4) for pupils on K or E


def _prompt(kind, due, title, detail, link, pupil_id):
    return {
        "kind": kind,
        "due_date": due,
        "pupil_id": pupil_id,
        "group_id": None,
        "title": title,
        "detail": detail,
        "link": link,
    }


def pupil_prompts(session, staff: Staff, today: date) -> list[dict]:
    pupils = {
        p.id: p
        for p in session.scalars(
            select(Pupil)
            .where(
                Pupil.school_id == staff.school_id,
                Pupil.on_roll.is_(True),
                Pupil.id.in_(visible_pupil_ids(staff)),
            )
            .options(selectinload(Pupil.provisions))
        )
    }
    found = _ehcp_reviews(pupils, today)
    # Acknowledgements and parent conversations are for those who hold the conversations:
    # a TA can neither read them nor record an acknowledgement.
    if "conversation" in readable_kinds(staff.role):
        conversations = _conversations(session, staff.school_id, set(pupils))
        found += _passport_acks(session, staff.school_id, set(pupils), today)
        found += _conversation_acks(conversations, today)
        found += _few_conversations(pupils, conversations, today)
    return found


def _open_code(pupil: Pupil) -> SenProvision | None:
    current = pupil.current_provision
    return current if current and current.code in ("K", "E") else None


def _anniversary(start: date, today: date) -> date:
    """The next anniversary on or after today; 29 February falls on 28 February otherwise."""
    for year in (today.year, today.year + 1):
        try:
            day = start.replace(year=year)
        except ValueError:
            day = date(year, 2, 28)
        if day >= today:
            return day
    raise AssertionError("unreachable")


def _ehcp_reviews(pupils: dict, today: date) -> list[dict]:
    found = []
    for pupil in pupils.values():
        plan = _open_code(pupil)
        if plan is None or plan.code != "E":
            continue
        due = pupil.ehcp_annual_review_due or _anniversary(plan.start_date, today)
        if due <= today + EHCP_WINDOW:
            found.append(
                _prompt(
                    "ehcp_annual_review_due",
                    due,
                    "EHCP annual review due",
                    f"The annual review of the EHC plan is due on {day(due)}. "
                    "Gather pupil and parent views first.",
                    f"/api/v1/pupils/{pupil.id}",
                    pupil.id,
                )
            )
    return found


def _passport_acks(session, school_id: int, pupil_ids: set, today: date) -> list[dict]:
    rows = (
        session.scalars(
            select(Passport).where(
                Passport.school_id == school_id,
                Passport.pupil_id.in_(pupil_ids),
                Passport.shared_with_parent_on.is_not(None),
                Passport.parent_acknowledged_on.is_(None),
                Passport.shared_with_parent_on <= today - ACK_WAIT,
            )
        )
        if pupil_ids
        else []
    )
    return [
        _prompt(
            "parent_ack_outstanding",
            row.shared_with_parent_on + ACK_WAIT,
            "Passport not yet acknowledged by the parent",
            f"Shared with the parent on {day(row.shared_with_parent_on)}; no "
            "acknowledgement recorded.",
            f"/api/v1/pupils/{row.pupil_id}/passport",
            row.pupil_id,
        )
        for row in rows
    ]


def _conversations(session, school_id: int, pupil_ids: set) -> list[Entry]:
    """Head conversation entries about these pupils. Filtered on core.pupil_id in Python so
    the query needs no JSON operators (SQLite and PostgreSQL differ there)."""
    if not pupil_ids:
        return []
    entries = session.scalars(
        select(Entry)
        .where(
            Entry.school_id == school_id,
            Entry.kind == "conversation",
            Entry.is_head.is_(True),
            Entry.deleted.is_(False),
        )
        .order_by(Entry.date, Entry.id)
    )
    return [e for e in entries if e.core.get("pupil_id") in pupil_ids]


def _conversation_acks(conversations: list[Entry], today: date) -> list[dict]:
    return [
        _prompt(
            "parent_ack_outstanding",
            e.date + ACK_WAIT,
            "Conversation record not yet acknowledged by the parent",
            f"The conversation with the parents on {day(e.date)} has no "
            "parent acknowledgement after 14 days.",
            f"/api/v1/entries/{e.entry_id}",
            e.core["pupil_id"],
        )
        for e in conversations
        if not e.core.get("parent_acknowledged") and e.date <= today - ACK_WAIT
    ]


def school_year(today: date) -> tuple[date, date]:
    """1 September to 31 August, the English school year containing today."""
    start = date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    return start, date(start.year + 1, 8, 31)


def _few_conversations(pupils: dict, conversations: list[Entry], today: date) -> list[dict]:
    start, end = school_year(today)
    held: dict[int, int] = {}
    for e in conversations:
        if start <= e.date <= end:
            held[e.core["pupil_id"]] = held.get(e.core["pupil_id"], 0) + 1
    found = []
    for pupil in pupils.values():
        count = held.get(pupil.id, 0)
        if _open_code(pupil) and count < CONVERSATIONS_A_YEAR:
            found.append(
                _prompt(
                    "few_parent_conversations",
                    end,
                    "Fewer than 3 parent conversations this year",
                    f"{plural(count, 'structured conversation')} with the parents since "
                    f"{day(start)}; aim for at least one a term.",
                    f"/api/v1/pupils/{pupil.id}",
                    pupil.id,
                )
            )
    return found
