"""Assemble one pupil's passport (FORMS.md §5): computed fields from records, hand-edited fields
with the rev an edit must name, and suggestions from entries with provenance (DESIGN §6)."""

from sqlalchemy import select

from schemas.passport import COMPUTED_FIELDS, EDITABLE_FIELDS
from server.models import Enrolment, Group, Passport, Pupil
from server.policy import readable_kinds
from sync.entry_view import for_reader
from sync.passport_edited import edited_fields
from sync.passport_suggest import author_names, latest_conversation, provenance, suggestions
from sync.scope import Scope

# The order of the template (seed 004 l.2117-2153), which the print view follows too.
ORDER = (
    "name",
    "dob",
    "photo",
    "started_on",
    "sen_status",
    "i_enjoy",
    "i_learn_best_when",
    "i_communicate_by",
    "to_communicate_with_me",
    "what_helps_me",
    "id_like_you_to_know",
    "i_find_it_difficult_to",
    "my_parents_think",
    "i_will_support_myself_by",
    "others_can_support_me_by",
    "my_recent_achievements",
    "my_targets",
    "additional_support",
    "access_arrangements",
    "additional_information",
)
SEN_NAMES = {"K": "SEN Support", "E": "EHC plan"}


def _long_date(day) -> str:
    return f"{day.day} {day:%B %Y}"


def _sen_status(pupil: Pupil) -> dict:
    current = pupil.current_provision
    if current is None or current.code not in SEN_NAMES:
        return {
            "value": "No SEN provision recorded",
            "code": current.code if current else "N",
            "since": None,
        }
    return {
        "value": f"{SEN_NAMES[current.code]} since {_long_date(current.start_date)}",
        "code": current.code,
        "since": current.start_date.isoformat(),
    }


def _open_enrolments(session, pupil: Pupil) -> list[Enrolment]:
    return list(
        session.scalars(
            select(Enrolment)
            .join(Group)
            .where(
                Enrolment.pupil_id == pupil.id,
                Enrolment.school_id == pupil.school_id,
                Enrolment.left_on.is_(None),
                Group.active.is_(True),
            )
            .order_by(Enrolment.id)
        )
    )


def frequency(group: Group) -> str:
    times = "once" if group.sessions_per_week == 1 else f"{group.sessions_per_week} times"
    return (
        f"{times} a week, {group.minutes_per_session} minutes, {group.weeks} weeks ({group.ratio})"
    )


def _targets(session, pupil: Pupil, enrolments: list[Enrolment], view) -> list:
    items = [
        {
            "text": e.target,
            "success_criteria": e.success_criteria,
            "review_date": e.target_review_date and e.target_review_date.isoformat(),
            "source": {
                "type": "enrolment",
                "enrolment_id": e.id,
                "group_id": e.group_id,
                "intervention": e.group.intervention.name,
            },
        }
        for e in enrolments
        if e.target
    ]
    conversation = latest_conversation(session, pupil.school_id, pupil.id, view)
    if conversation is not None:
        authors = author_names(session, [conversation])
        items += [
            {
                "text": t["wording"],
                "success_criteria": t.get("success_criteria"),
                "review_date": t.get("review_date"),
                "source": {"type": "entry", **provenance(conversation, authors)},
            }
            for t in conversation["core"]["targets"]
        ]
    return items


def _support(enrolments: list[Enrolment]) -> list[dict]:
    return [
        {
            "intervention": e.group.intervention.name,
            "group": e.group.name,
            "group_id": e.group_id,
            "frequency": frequency(e.group),
            "since": e.joined_on.isoformat(),
        }
        for e in enrolments
    ]


def _computed(session, pupil: Pupil, view) -> dict:
    enrolments = _open_enrolments(session, pupil)
    name = pupil.preferred_name or pupil.forename
    return {
        "name": {"value": f"{name} {pupil.surname}"},
        "dob": {"value": pupil.dob.isoformat()},
        # Consent only: the passport never shows a photo the parent has not agreed to.
        "photo": {"value": pupil.photo_consent},
        "started_on": {"value": pupil.started_on and pupil.started_on.isoformat()},
        "sen_status": _sen_status(pupil),
        "my_targets": {"items": _targets(session, pupil, enrolments, view)},
        "additional_support": {"items": _support(enrolments)},
    }


def status_of(passport: Passport | None) -> dict:
    def iso(day):
        return day.isoformat() if day else None

    if passport is None:
        return {
            "status": "draft",
            "agreed_on": None,
            "shared_with_parent_on": None,
            "parent_acknowledged_on": None,
            "parent_comments": None,
        }
    return {
        "status": passport.status,
        "agreed_on": iso(passport.agreed_on),
        "shared_with_parent_on": iso(passport.shared_with_parent_on),
        "parent_acknowledged_on": iso(passport.parent_acknowledged_on),
        "parent_comments": passport.parent_comments,
    }


def assemble(session, pupil: Pupil, reader: Scope) -> dict:
    """The whole passport. Suggestions come only from entry kinds the reader may read, so a TA
    (who may not read parent conversations) never sees the parents' words through this door,
    and every entry is read through the reader's cut (sync/entry_view.py)."""
    passport = session.scalar(select(Passport).where(Passport.pupil_id == pupil.id))
    view = for_reader(session, reader)
    suggested = suggestions(session, pupil.school_id, pupil.id, readable_kinds(reader.role), view)
    fields = {**_computed(session, pupil, view), **edited_fields(session, pupil, suggested)}
    labels = {**COMPUTED_FIELDS, **EDITABLE_FIELDS}
    # JSON objects lose their order on the wire, so the template order travels with them.
    return {
        "pupil_id": pupil.id,
        **status_of(passport),
        "order": list(ORDER),
        "fields": {
            name: {"label": labels[name], "computed": name in COMPUTED_FIELDS, **fields[name]}
            for name in ORDER
        },
    }
