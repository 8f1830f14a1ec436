"""What staff decided about review prompts: done, snoozed until a day, or not needed.

Prompts are computed afresh on every request (sync/reviews.py), so a decision is kept against a
key that names the prompt: its kind, pupil, group and the record to act on, and, for prompts
tied to a date (a review due on 23 October), that date too. A group given a new review date
therefore raises a new prompt, while "attendance below 70%", whose date is always today, keeps
its key and stays dealt with. One decision per prompt for the whole school: dismissed on one
device, dismissed for everyone.
"""

from datetime import date

from sqlalchemy import select

from server.models import ReviewDecision, Staff
from server.models.base import utcnow

# Kinds whose due date belongs to the prompt itself. Any other kind (a new one included) is
# keyed without its date, since dates such as "today" or "the last session" move on their own.
DATED = frozenset(
    {
        "group_review_overdue",
        "target_review_due",
        "ehcp_annual_review_due",
        "parent_ack_outstanding",
        "few_parent_conversations",
    }
)


def prompt_key(p: dict) -> str:
    parts = [p["kind"], f"p{p['pupil_id'] or ''}", f"g{p['group_id'] or ''}", p["link"]]
    if p["kind"] in DATED:
        parts.append(p["due_date"].isoformat())
    return "|".join(parts)[:200]


def _decisions(session, school_id: int, keys: list[str]) -> dict:
    if not keys:
        return {}
    rows = session.scalars(
        select(ReviewDecision).where(
            ReviewDecision.school_id == school_id, ReviewDecision.key.in_(keys)
        )
    )
    return {r.key: r for r in rows}


def _dump(row: ReviewDecision, names: dict) -> dict:
    return {
        "id": row.id,
        "decision": row.decision,
        "until": row.until,
        "reason": row.reason,
        "decided_by": names.get(row.decided_by),
        "decided_at": row.decided_at,
    }


def settles(row: ReviewDecision | None, today: date) -> bool:
    """Whether the decision takes the prompt off the list today."""
    if row is None:
        return False
    return row.decision != "snoozed" or (row.until is not None and row.until > today)


def with_decisions(session, school_id: int, prompts: list[dict], today: date, everything: bool):
    """Each prompt with its key and decision; without `everything`, only those still to do (a
    snooze that has run out is to do again, and says so)."""
    for p in prompts:
        p["key"] = prompt_key(p)
    rows = _decisions(session, school_id, [p["key"] for p in prompts])
    ids = {r.decided_by for r in rows.values()}
    names = (
        dict(session.execute(select(Staff.id, Staff.name).where(Staff.id.in_(ids))).all())
        if ids
        else {}
    )
    shown = []
    for p in prompts:
        row = rows.get(p["key"])
        p["decision"] = _dump(row, names) if row else None
        if everything or not settles(row, today):
            shown.append(p)
    return shown


def decide(session, staff: Staff, prompt: dict, data: dict) -> ReviewDecision:
    """Record (or replace) the decision on one prompt; the caller commits."""
    row = session.scalar(
        select(ReviewDecision).where(
            ReviewDecision.school_id == staff.school_id, ReviewDecision.key == prompt["key"]
        )
    )
    if row is None:
        row = ReviewDecision(school_id=staff.school_id, key=prompt["key"])
        session.add(row)
    row.kind, row.pupil_id, row.group_id = prompt["kind"], prompt["pupil_id"], prompt["group_id"]
    row.decision, row.decided_by, row.decided_at = data["decision"], staff.id, utcnow()
    row.until = data.get("until")
    row.reason = (data.get("reason") or "").strip() or None
    return row


def dump(session, row: ReviewDecision) -> dict:
    name = session.scalar(select(Staff.name).where(Staff.id == row.decided_by))
    return _dump(row, {row.decided_by: name})
