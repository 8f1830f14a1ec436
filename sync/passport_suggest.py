"""Passport suggestions: what pupil voice and parent conversations said, with which entry said it.

Suggestions are never written into the passport. The teacher or SENCO reads them and types the
agreed wording, so the "I ..." fields stay co-written with the pupil (FORMS.md §5).
"""

from sqlalchemy import select, true

from schemas.passport import EDITABLE_FIELDS
from schemas.scale_words import rating
from schemas.templates import SAFEGUARDING_TAG
from server.models import Entry, EntryPupil, Staff
from sync import entry_view
from sync.templates import find_definition

# Pupil-voice themes (the built-in pv-* forms tag every question "theme:<x>") and where each
# one belongs. An explicit "passport:<field>" tag on a question wins over its theme.
THEME_FIELDS = {
    "enjoy": "i_enjoy",
    "helps_learn": "what_helps_me",
    "learn_best": "i_learn_best_when",
    "hard": "i_find_it_difficult_to",
    "good_at": "id_like_you_to_know",
    "like_you_to_know": "id_like_you_to_know",
    "communicate": "i_communicate_by",
    "support_myself": "i_will_support_myself_by",
    "others_support": "others_can_support_me_by",
    "achievements": "my_recent_achievements",
}
# The Explore stage is the parents' own perspective; later stages are the school's voice too.
PARENT_SECTIONS = {"explore"}
RECENT_ENTRIES = 30  # per pupil: older views have usually been folded into the passport already


def _field_for(question: dict, section_id: str, kind: str) -> str | None:
    tags = question.get("tags") or []
    if SAFEGUARDING_TAG in tags:
        return None  # worries go to the safeguarding lead, never onto a passport
    for tag in tags:
        if tag.startswith("passport:") and tag[9:] in EDITABLE_FIELDS:
            return tag[9:]
    if kind == "conversation":
        return "my_parents_think" if section_id in PARENT_SECTIONS else None
    themes = [THEME_FIELDS.get(tag[6:]) for tag in tags if tag.startswith("theme:")]
    return next((field for field in themes if field), None)


def _words(answer, question: dict) -> str | None:
    """The pupil's or parent's own words; a chosen option reads as its label, a face or RAG as
    the words of the scale it was chosen on ("Happy" on three faces, never "Very happy")."""
    rated = rating(question, answer)
    if rated:
        return rated["face"]
    if isinstance(answer, list):
        parts = [_words(a, question) for a in answer]
        return ", ".join(p for p in parts if p) or None
    if isinstance(answer, bool) or answer is None:
        return None
    labels = {o["value"]: o["label"] for o in question.get("options") or []}
    if question.get("type") in ("choice", "multichoice"):
        return labels.get(answer, str(answer))
    text = str(answer).strip() if question.get("type") in ("text", "longtext") else None
    return text or None


def _entries(session, school_id: int, pupil_id: int, kinds: tuple, view) -> list[dict]:
    """The pupil's own entries (their voice, conversations about them), newest first, as the
    reader's cut (sync/entry_view.py) leaves them. Sessions and walks that merely name them are
    not counted: a term of daily sessions would otherwise fill the RECENT_ENTRIES and push the
    pupil's own words out."""
    rows = session.scalars(
        select(Entry)
        .join(EntryPupil, EntryPupil.entry_pk == Entry.id)
        .where(
            EntryPupil.pupil_id == pupil_id,
            EntryPupil.is_subject == true(),
            Entry.school_id == school_id,
            Entry.is_head.is_(True),
            Entry.deleted.is_(False),
            Entry.kind.in_(kinds),
        )
        .order_by(Entry.date.desc(), Entry.id.desc())
        .limit(RECENT_ENTRIES)
    )
    return [seen for entry in rows if (seen := view(entry_view.dump(entry))) is not None]


def provenance(entry: dict, authors: dict) -> dict:
    return {
        **{k: entry[k] for k in ("entry_id", "rev", "kind", "date", "author_id")},
        "author": authors.get(entry["author_id"]),
    }


PARENT_ROLES = ("parent", "carer")


def parents_named(entry: dict) -> list[str]:
    """Who spoke for the family at a conversation, by the names staff typed ("Ms Hale"), so a
    suggestion can say whose words it is; nothing for pupil voice."""
    if entry["kind"] != "conversation":
        return []
    attendees = entry["core"].get("attendees") or []
    return [a["name"] for a in attendees if a.get("role") in PARENT_ROLES and a.get("name")]


def _from_entry(session, school_id: int, entry: dict, authors: dict) -> list[tuple[str, dict]]:
    definition = (
        find_definition(session, school_id, entry["template_id"], entry["template_version"]) or {}
    )
    found = []
    for section in definition.get("sections", []):
        for question in section.get("questions", []):
            field = _field_for(question, section.get("id", ""), entry["kind"])
            text = field and _words(entry["answers"].get(question["id"]), question)
            if text:
                found.append(
                    (
                        field,
                        {
                            "text": text,
                            "question": question.get("prompt"),
                            "question_id": question["id"],
                            "mode": entry["core"].get("mode"),
                            "with": parents_named(entry),
                            **provenance(entry, authors),
                        },
                    )
                )
    return found


def author_names(session, entries: list[dict]) -> dict:
    ids = {e["author_id"] for e in entries}
    return (
        dict(session.execute(select(Staff.id, Staff.name).where(Staff.id.in_(ids))).all())
        if ids
        else {}
    )


def suggestions(session, school_id: int, pupil_id: int, kinds: tuple, view) -> dict[str, list]:
    """Field name -> suggestions, newest entry first, from the head version of each entry."""
    entries = _entries(session, school_id, pupil_id, kinds, view)
    authors = author_names(session, entries)
    result: dict[str, list] = {}
    for entry in entries:
        for field, suggestion in _from_entry(session, school_id, entry, authors):
            result.setdefault(field, []).append(suggestion)
    return result


def latest_conversation(session, school_id: int, pupil_id: int, view) -> dict | None:
    """The newest conversation that agreed targets: its targets are the ones in force."""
    for entry in _entries(session, school_id, pupil_id, ("conversation",), view):
        if entry["core"].get("targets"):
            return entry
    return None
