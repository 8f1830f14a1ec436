"""Passport suggestions staff have used or dismissed, so the editor does not offer them again.

A suggestion is one answer to one question of one entry, offered for one field. Using it (an
edit that names it) or dismissing it is kept per pupil on the server: a dismissal on the SENCO's
laptop holds on the teacher's tablet. A dismissed one can be brought back; a used one is in the
field's own history.
"""

from sqlalchemy import select

from server.models import Pupil, Staff, SuggestionDecision


def decide(session, staff: Staff, pupil: Pupil, field: str, ref: dict, decision: str):
    """Record (or change) the decision on one suggestion; the caller commits."""
    row = session.scalar(
        select(SuggestionDecision).where(
            SuggestionDecision.pupil_id == pupil.id,
            SuggestionDecision.field == field,
            SuggestionDecision.entry_id == ref["entry_id"],
            SuggestionDecision.question_id == ref["question_id"],
        )
    )
    if row is None:
        row = SuggestionDecision(
            school_id=pupil.school_id,
            pupil_id=pupil.id,
            field=field,
            entry_id=ref["entry_id"],
            question_id=ref["question_id"],
        )
        session.add(row)
    row.decision, row.decided_by = decision, staff.id
    return row


def decisions_for(session, pupil: Pupil) -> dict:
    """(field, entry_id, question_id) -> the decision row."""
    rows = session.scalars(
        select(SuggestionDecision).where(
            SuggestionDecision.pupil_id == pupil.id,
            SuggestionDecision.school_id == pupil.school_id,
        )
    )
    return {(r.field, r.entry_id, r.question_id): r for r in rows}


def sort_out(field: str, offered: list[dict], decided: dict) -> tuple[list, list]:
    """Split a field's suggestions into those still offered and those dismissed (each carrying
    the id that brings it back). Used ones are left out: their words are in the field now."""
    still, dismissed = [], []
    for suggestion in offered:
        row = decided.get((field, suggestion["entry_id"], suggestion["question_id"]))
        if row is None:
            still.append(suggestion)
        elif row.decision == "dismissed":
            dismissed.append({**suggestion, "dismissal_id": row.id})
    return still, dismissed
