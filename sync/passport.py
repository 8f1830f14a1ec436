"""Passport field edits with base_rev: a stale edit becomes a conflict, never a silent overwrite."""

from datetime import UTC, datetime

from sqlalchemy import select

from schemas.passport import EDITABLE_FIELDS
from server.models import Passport, PassportConflict, PassportField, PassportFieldVersion
from server.policy import EDIT_PASSPORTS, allows
from sync.results import accepted, rejected


def _current(batch, pupil_id: int, field: str) -> PassportField | None:
    key, cache = (pupil_id, field), batch.plan.passport_fields
    if key not in cache:
        cache[key] = batch.session.scalar(
            select(PassportField).where(
                PassportField.pupil_id == pupil_id, PassportField.field == field
            )
        )
    return cache[key]


def plan_edit(batch, parsed: dict) -> dict:
    op_id, edit, scope = parsed["op_id"], parsed["passport_edit"], batch.scope
    if not allows(scope.role, EDIT_PASSPORTS):
        return rejected(op_id, {"passport_edit": {"field": ["Your role cannot edit passports."]}})
    if edit["pupil_id"] not in scope.pupils:
        return rejected(op_id, {"passport_edit": {"pupil_id": ["This is not one of your pupils."]}})
    if edit["field"] not in EDITABLE_FIELDS:
        return rejected(
            op_id,
            {
                "passport_edit": {
                    "field": [
                        f"Not an editable passport field. Choose one of: {', '.join(EDITABLE_FIELDS)}."
                    ]
                }
            },
        )
    current = _current(batch, edit["pupil_id"], edit["field"])
    current_rev = current.rev if current else 0
    if edit["base_rev"] != current_rev:
        return _conflict(batch, op_id, edit, current)
    return _apply(batch, op_id, edit, current)


def _apply(batch, op_id: str, edit: dict, current: PassportField | None) -> dict:
    staff, session = batch.scope.staff, batch.session
    if current is None:
        current = PassportField(
            school_id=staff.school_id,
            pupil_id=edit["pupil_id"],
            field=edit["field"],
            rev=0,
            value="",
            edited_by=staff.id,
        )
        session.add(current)
        batch.plan.passport_fields[(edit["pupil_id"], edit["field"])] = current
    _ensure_draft(session, staff.school_id, edit["pupil_id"])
    current.rev, current.value, current.edited_by = current.rev + 1, edit["value"], staff.id
    session.add(
        PassportFieldVersion(
            school_id=staff.school_id,
            pupil_id=edit["pupil_id"],
            field=edit["field"],
            rev=current.rev,
            value=edit["value"],
            edited_by=staff.id,
            op_id=op_id,
        )
    )
    return accepted(op_id, pupil_id=edit["pupil_id"], field=edit["field"], rev=current.rev)


def _conflict(batch, op_id: str, edit: dict, current: PassportField | None) -> dict:
    staff = batch.scope.staff
    conflict = PassportConflict(
        school_id=staff.school_id,
        pupil_id=edit["pupil_id"],
        field=edit["field"],
        base_rev=edit["base_rev"],
        current_rev=current.rev if current else 0,
        current_value=current.value if current else "",
        proposed_value=edit["value"],
        proposed_by=staff.id,
        op_id=op_id,
    )
    batch.session.add(conflict)
    result = accepted(
        op_id,
        pupil_id=edit["pupil_id"],
        field=edit["field"],
        message="Someone changed this field since you opened it. Both versions "
        "are kept for the SENCO to choose.",
    )
    batch.plan.passport_conflicts.append((conflict, result))
    return result


def _ensure_draft(session, school_id: int, pupil_id: int) -> None:
    """Any field edit makes the passport a draft again: what was agreed is no longer what it says."""
    passport = session.scalar(select(Passport).where(Passport.pupil_id == pupil_id)) or next(
        (o for o in session.new if isinstance(o, Passport) and o.pupil_id == pupil_id), None
    )
    if passport is None:
        session.add(Passport(school_id=school_id, pupil_id=pupil_id, status="draft"))
    elif passport.status != "draft":
        passport.status = "draft"


def write_edits(batch) -> None:
    """Flush the ORM rows, then tell each conflicted op which conflict it raised."""
    batch.session.flush()
    for conflict, result in batch.plan.passport_conflicts:
        result["conflict_id"] = conflict.id


def resolve_conflict(
    session, staff, conflict: PassportConflict, choice: str, custom: str | None
) -> PassportField:
    """The SENCO picks a value; it becomes a new revision, and both old values stay in history."""
    value = {
        "current": conflict.current_value,
        "proposed": conflict.proposed_value,
        "custom": custom,
    }[choice]
    field = session.scalar(
        select(PassportField).where(
            PassportField.pupil_id == conflict.pupil_id, PassportField.field == conflict.field
        )
    )
    if field is None:
        field = PassportField(
            school_id=conflict.school_id,
            pupil_id=conflict.pupil_id,
            field=conflict.field,
            rev=0,
            value="",
            edited_by=staff.id,
        )
        session.add(field)
    _ensure_draft(session, conflict.school_id, conflict.pupil_id)
    field.rev, field.value, field.edited_by = field.rev + 1, value, staff.id
    session.add(
        PassportFieldVersion(
            school_id=conflict.school_id,
            pupil_id=conflict.pupil_id,
            field=conflict.field,
            rev=field.rev,
            value=value,
            edited_by=staff.id,
            op_id=None,
        )
    )
    conflict.status, conflict.resolved_by = "resolved", staff.id
    conflict.resolved_at = datetime.now(UTC)
    conflict.resolution = {"choice": choice, "rev": field.rev}
    return field
