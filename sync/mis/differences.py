"""SEN fields where the app and the MIS disagree: a SENCO changed the field here and the MIS has
not yet sent the same value back. Listed in each run's log and raised as a review prompt,
"SEN status differs from the MIS", until the MIS agrees (sync/mis/ownership.py)."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from server.models import Pupil, SenFieldOwner, Staff
from server.models.scope import visible_pupil_ids
from server.policy import READ_MIS_RUNS, allows
from sync.mis import words
from sync.mis.ownership import current

TITLES = {
    "sen_provision": "SEN status differs from the MIS",
    "needs": "SEN needs differ from the MIS",
}


def _shown(field: str, value) -> str:
    return value if field == "sen_provision" else ", ".join(value)


def current_differences(session, school_id: int, pupil_ids=None) -> list[dict]:
    """Every on-roll pupil's SEN field the app holds differently from what the MIS last said."""
    query = (
        select(SenFieldOwner, Pupil)
        .join(Pupil, Pupil.id == SenFieldOwner.pupil_id)
        .where(
            SenFieldOwner.school_id == school_id,
            SenFieldOwner.owner == "app",
            SenFieldOwner.mis_value.is_not(None),
            Pupil.on_roll.is_(True),
        )
        .options(selectinload(Pupil.provisions), selectinload(Pupil.needs))
        .order_by(Pupil.surname, Pupil.forename, Pupil.id, SenFieldOwner.field)
    )
    if pupil_ids is not None:
        query = query.where(Pupil.id.in_(pupil_ids))
    found = []
    for owner, pupil in session.execute(query):
        ours = current(pupil, owner.field)
        if ours == owner.mis_value:
            continue
        found.append(
            {
                "pupil_id": pupil.id,
                "pupil_name": f"{pupil.preferred_name or pupil.forename} {pupil.surname}",
                "field": owner.field,
                "field_words": words.FIELD_WORDS[owner.field],
                "app_value": _shown(owner.field, ours),
                "app_value_words": words.value(owner.field, ours),
                "mis_value": _shown(owner.field, owner.mis_value),
                "mis_value_words": words.value(owner.field, owner.mis_value),
                "changed_in_app_at": owner.changed_at,
            }
        )
    return found


def difference_prompts(session, staff: Staff, today: date) -> list[dict]:
    """Review prompts for the SENCO (and whoever else reads MIS runs)."""
    if not allows(staff.role, READ_MIS_RUNS):
        return []
    prompts = []
    for item in current_differences(session, staff.school_id, visible_pupil_ids(staff)):
        changed = item["changed_in_app_at"]
        prompts.append(
            {
                "kind": "sen_differs_from_mis",
                "due_date": today,
                "pupil_id": item["pupil_id"],
                "group_id": None,
                "title": TITLES[item["field"]],
                "detail": f"{item['pupil_name']}: the app has {item['app_value_words']} "
                f"(changed here on {words.day(changed)}); the MIS still has "
                f"{item['mis_value_words']}. Import tonight's SEN export into the MIS, or "
                "change it there, and this goes once the MIS sends the same back.",
                "link": f"/api/v1/pupils/{item['pupil_id']}",
            }
        )
    return prompts
