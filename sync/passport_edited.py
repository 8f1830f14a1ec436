"""The hand-edited passport fields as the editor needs them: the value and the rev an edit
must name, who last changed it, the suggestions still offered and those dismissed, and any stale
edit still waiting for the SENCO (both values, side by side)."""

from sqlalchemy import select

from schemas.passport import EDITABLE_FIELDS
from server.models import PassportConflict, PassportField, Pupil, Staff
from sync.passport_decisions import decisions_for, sort_out


def edited_fields(session, pupil: Pupil, suggested: dict) -> dict:
    rows = {
        f.field: f
        for f in session.scalars(
            select(PassportField).where(
                PassportField.pupil_id == pupil.id, PassportField.school_id == pupil.school_id
            )
        )
    }
    editors = (
        dict(
            session.execute(
                select(Staff.id, Staff.name).where(
                    Staff.id.in_({r.edited_by for r in rows.values()})
                )
            ).all()
        )
        if rows
        else {}
    )
    decided, conflicts = decisions_for(session, pupil), open_conflicts(session, pupil)
    out = {}
    for name in EDITABLE_FIELDS:
        row = rows.get(name)
        offered, dismissed = sort_out(name, suggested.get(name, []), decided)
        out[name] = {
            "value": row.value if row else "",
            "rev": row.rev if row else 0,
            "edited_by": editors.get(row.edited_by) if row else None,
            "edited_at": row.edited_at.isoformat() if row else None,
            "suggestions": offered,
            "dismissed": dismissed,
            "conflicts": conflicts.get(name, []),
        }
    return out


def open_conflicts(session, pupil: Pupil) -> dict:
    """Field -> stale edits still waiting for the SENCO, with both values, so the editor shows
    them beside the field they are about."""
    rows = list(
        session.scalars(
            select(PassportConflict)
            .where(
                PassportConflict.pupil_id == pupil.id,
                PassportConflict.school_id == pupil.school_id,
                PassportConflict.status == "open",
            )
            .order_by(PassportConflict.id)
        )
    )
    names = dict(
        session.execute(
            select(Staff.id, Staff.name).where(Staff.id.in_({r.proposed_by for r in rows}))
        ).all()
    )
    found: dict = {}
    for r in rows:
        found.setdefault(r.field, []).append(
            {
                "id": r.id,
                "current_value": r.current_value,
                "proposed_value": r.proposed_value,
                "proposed_by": names.get(r.proposed_by),
                "raised_at": r.raised_at.isoformat(),
            }
        )
    return found
