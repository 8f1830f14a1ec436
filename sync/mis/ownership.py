"""Who owns which SEN field (DESIGN §7): whoever changed it last, field by field.

The MIS owns identity and enrolment outright. SEN status (`sen_provision`) and SEN needs
(`needs`, ranked) belong to their last writer: the roster updates a field while the MIS was the
last writer, and leaves it alone once a SENCO has changed it in the app. What the MIS says
meanwhile is kept (`SenFieldOwner.mis_value`, and a `SenFieldChange` row each time it says
something new), so the difference can be shown until the MIS sends the app's value back, which
hands the field back to the MIS. Values are compared as codes: "K" for a status, the need
types in rank order for needs.
"""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.models import MisSource, Pupil, SenFieldChange, SenFieldOwner
from server.models.base import utcnow
from server.models.mis import SEN_FIELDS

# Identity and enrolment: the MIS's alone wherever the school has an MIS source.
MIS_FIELDS = (
    "upn",
    "forename",
    "surname",
    "dob",
    "gender",
    "year_group",
    "class_id",
    "started_on",
    "on_roll",
    "left_on",
)
FROM_MIS = "This comes from the MIS: change it there, and the nightly sync brings it here."


def identity_edit_errors(session: Session, pupil: Pupil, data: dict) -> dict:
    """Field messages for an edit of identity or enrolment at a school whose MIS owns them;
    sending the stored value back unchanged is fine."""
    if session.get(MisSource, pupil.school_id) is None:
        return {}
    if pupil.id is None:
        return {"_schema": ["Pupils come from the MIS roster at this school: add them there."]}
    return {
        name: [FROM_MIS]
        for name in MIS_FIELDS
        if name in data and data[name] != getattr(pupil, name)
    }


def current(pupil: Pupil, field: str):
    """The app's value of a field now."""
    if field == "sen_provision":
        return pupil.sen_provision
    return [need.need_type for need in sorted(pupil.needs, key=lambda need: need.rank)]


def stated(row, field: str):
    """What a roster row (sync/mis/rules.CleanRow) says for a field."""
    return row.sen_code if field == "sen_provision" else [kind for kind, _ in row.needs]


def snapshot(pupil: Pupil) -> dict:
    return {field: current(pupil, field) for field in SEN_FIELDS}


def _change(session, pupil, field, source, value, applied, staff_id=None, now=None) -> None:
    session.add(
        SenFieldChange(
            school_id=pupil.school_id,
            pupil=pupil,
            field=field,
            source=source,
            value=value,
            applied=applied,
            staff_id=staff_id,
            at=now or utcnow(),
        )
    )


class RosterOwners:
    """One roster import's view of the school's ownership rows: loaded in one query, then
    asked pupil by pupil which SEN fields the roster may write."""

    def __init__(self, session: Session, school_id: int):
        self.session, self.school_id, self.now = session, school_id, utcnow()
        found = session.scalars(select(SenFieldOwner).where(SenFieldOwner.school_id == school_id))
        self.rows = {(row.pupil_id, row.field): row for row in found}

    def app_owns(self, pupil: Pupil, field: str) -> bool:
        owner = self.rows.get((pupil.id, field))
        return owner is not None and owner.owner == "app"

    def writable(self, pupil: Pupil, row) -> set[str]:
        """The fields the roster writes for this pupil. For a field a SENCO owns, note what the
        MIS says; if it now says what the app holds, the MIS owns the field again."""
        if pupil.id is None:
            return set(SEN_FIELDS)
        allowed = set()
        for field in SEN_FIELDS:
            owner = self.rows.get((pupil.id, field))
            if owner is None or owner.owner == "mis":
                allowed.add(field)
                continue
            theirs = stated(row, field)
            if theirs == current(pupil, field):
                owner.owner, owner.mis_value, owner.mis_seen_at = "mis", theirs, self.now
                _change(self.session, pupil, field, "mis", theirs, True, now=self.now)
            elif owner.mis_value != theirs:
                owner.mis_value, owner.mis_seen_at = theirs, self.now
                _change(self.session, pupil, field, "mis", theirs, False, now=self.now)
        return allowed

    def written(self, pupil: Pupil, field: str) -> None:
        """The roster has just changed this field: the MIS is its last writer, as of now."""
        value = current(pupil, field)
        owner = self.rows.get((pupil.id, field)) if pupil.id else None
        if owner is None:
            owner = SenFieldOwner(school_id=pupil.school_id, pupil=pupil, field=field)
            self.session.add(owner)
            if pupil.id:
                self.rows[(pupil.id, field)] = owner
        owner.owner, owner.changed_at, owner.changed_by = "mis", self.now, None
        owner.mis_value, owner.mis_seen_at = value, self.now
        _change(self.session, pupil, field, "mis", value, True, now=self.now)


def claim_for_app(session: Session, pupil: Pupil, before: dict, staff_id: int | None) -> None:
    """A member of staff changed SEN fields in the app: each field that really changed is now
    theirs, so the nightly roster leaves it alone. The MIS's last value stays on the row."""
    now: datetime = utcnow()
    for field in SEN_FIELDS:
        value = current(pupil, field)
        if value == before[field]:
            continue
        owner = session.get(SenFieldOwner, (pupil.id, field)) if pupil.id else None
        if owner is None:
            owner = SenFieldOwner(school_id=pupil.school_id, pupil=pupil, field=field)
            session.add(owner)
        owner.owner, owner.changed_at, owner.changed_by = "app", now, staff_id
        _change(session, pupil, field, "app", value, True, staff_id, now)
