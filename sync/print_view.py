"""What a printed conversation or learning walk says, built from the reader's cut copy of the
entry (sync/entry_list.py) and its template: headings, prompts and labels are the template's own.

A print leaves the building, to parents or governors, so it carries no safeguarding content for
anyone, the SENCO and DSLs included: that lives on the concern. It only says that something was
held back, so nobody takes the page for the whole record.
"""

from sqlalchemy import select

from schemas.scale_words import rag_points
from server.models import Pupil, School, SchoolClass
from sync import print_words as words
from sync.templates import find_definition

PRINTABLE = ("conversation", "learning_walk")
PARTICIPATION = {
    "present": "{name} was at the meeting.",
    "present_for_part": "{name} was at part of the meeting.",
    "views_beforehand": "{name} gave their views before the meeting.",
    "not_involved": "{name} was not at the meeting.",
}
EVIDENCE = [
    {"value": "observed", "label": "Observed"},
    {"value": "voice", "label": "Pupil voice"},
    {"value": "document", "label": "Document"},
]


def printable(item: dict) -> dict:
    """The copy less every safeguarding field the cut marked, and whether anything was held."""
    shown = set((item.get("safeguarding") or {}).get("fields", ()))
    held = bool(shown or item.get("withheld"))
    core = {k: v for k, v in item["core"].items() if f"core.{k}" not in shown}
    answers = {k: v for k, v in item["answers"].items() if f"answers.{k}" not in shown}
    core.pop("concern_note", None), core.pop("concern_pupil_id", None)
    rest = {k: v for k, v in item.items() if k not in ("safeguarding", "withheld")}
    return {**rest, "core": core, "answers": answers, "held_back": held}


def _common(session, school_id: int, item: dict) -> tuple[dict, dict]:
    definition = (
        find_definition(session, school_id, item["template_id"], item["template_version"]) or {}
    )
    school = session.get(School, school_id)
    return definition, {
        "school": school.name if school else "",
        "date": words.long_day(item["date"]),
        "recorded_by": item["author"]["name"] or "a member of staff",
        "recorded_on": words.day_of(item["recorded_at"]),
        "held_back": item["held_back"],
        "actions": [
            {
                "action": a["action"],
                "owner": a["owner"],
                "due": words.long_day(a.get("due_date")) or "No date set",
            }
            for a in item["core"].get("actions", [])
        ],
    }


def _rows(section: dict, core: dict, answers: dict) -> list[dict]:
    rows = []
    for question in section.get("questions", []):
        value = core.get(question["core"]) if question.get("core") else answers.get(question["id"])
        said = words.answer(question, value)
        if said:
            rows.append({"prompt": question["prompt"], "answer": said})
    return rows


def conversation(session, school_id: int, item: dict) -> dict:
    definition, page = _common(session, school_id, item)
    core, answers = item["core"], item["answers"]
    pupil = session.get(Pupil, core["pupil_id"])
    name = f"{pupil.preferred_name or pupil.forename} {pupil.surname}" if pupil else "the pupil"
    sections = [
        {"id": s["id"], "title": s["title"], "rows": _rows(s, core, answers)}
        for s in definition.get("sections", [])
    ]
    ids = [s["id"] for s in sections]
    return {
        **page,
        "title": definition.get("title") or "Conversation with parents",
        "pupil": name,
        "attendees": [
            {"name": a["name"], "role": words.label(definition.get("attendee_roles"), a["role"])}
            for a in core.get("attendees", [])
        ],
        "participation": PARTICIPATION.get(
            core.get("pupil_participation"),
            "{name}: " + words.humane(core.get("pupil_participation") or ""),
        ).format(name=name.split(" ")[0]),
        "stages": [s for s in sections if s["id"] != "follow_up"],
        "follow_up": next((s for s in sections if s["id"] == "follow_up"), None),
        # The agreed plan goes with the stage that made it: Plan, or the last stage if none.
        "plan_after": "plan" if "plan" in ids else (ids[-1] if ids else None),
        "targets": [
            {
                "wording": t["wording"],
                "success_criteria": t.get("success_criteria") or "",
                "review": words.long_day(t.get("review_date")) or "No date set",
            }
            for t in core.get("targets", [])
        ],
    }


def _places(session, school_id: int, stops: list[dict]) -> dict:
    ids = {s["class_id"] for s in stops if s.get("class_id")}
    if not ids:
        return {}
    rows = session.execute(
        select(SchoolClass.id, SchoolClass.name, SchoolClass.year_group).where(
            SchoolClass.school_id == school_id, SchoolClass.id.in_(ids)
        )
    )
    return {r.id: f"{r.name} ({_year(r.year_group)})" for r in rows}


def _year(code: str) -> str:
    return {"N": "Nursery", "R": "Reception"}.get(code, f"Year {code}")


def _extra(definition: dict, judgement: dict) -> str:
    """'Observed; 2 photos kept with the record': how the walker knew, in words."""
    parts = []
    if judgement.get("evidence_type"):
        kinds = definition.get("evidence_types") or EVIDENCE
        parts.append(words.label(kinds, judgement["evidence_type"]))
    if judgement.get("attachments"):
        parts.append(words.answer({"type": "photo"}, judgement["attachments"]))
    return "; ".join(parts)


def walk(session, school_id: int, item: dict) -> dict:
    definition, page = _common(session, school_id, item)
    core = item["core"]
    prompts = {
        q["id"]: q["prompt"]
        for s in definition.get("sections", [])
        if s.get("repeat") == "per_stop"
        for q in s["questions"]
    }
    places, rag = _places(session, school_id, core.get("stops", [])), rag_points()
    counts: dict = {}
    stops = []
    for n, stop in enumerate(core.get("stops", []), start=1):
        judgements = []
        for j in stop.get("judgements", []):
            look_for = prompts.get(j["look_for"]) or words.humane(j["look_for"])
            counts.setdefault(look_for, {"red": 0, "amber": 0, "green": 0})[j["rag"]] += 1
            judgements.append(
                {
                    "look_for": look_for,
                    "rag": j["rag"],
                    "word": rag[j["rag"]]["word"],
                    "glyph": rag[j["rag"]]["glyph"],
                    "note": j.get("note") or "",
                    "extra": _extra(definition, j),
                }
            )
        stops.append(
            {
                "number": n,
                "place": places.get(stop.get("class_id")) or stop.get("area") or f"Stop {n}",
                "time": words.clock(stop.get("time")),
                "context": words.label(definition.get("stop_contexts"), stop["context"]),
                "judgements": judgements,
            }
        )
    order = list(prompts.values())
    summary = sorted(
        counts.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)
    )
    return {
        **page,
        "title": "Learning walk",
        "focus": definition.get("title") or "Learning walk",
        "walkers": [
            {"name": w["name"], "role": words.label(definition.get("walker_roles"), w["role"])}
            for w in core.get("walkers", [])
        ],
        "purposes": [words.label(definition.get("purposes"), p) for p in core.get("purposes", [])],
        "stops": stops,
        "strengths": core.get("strengths") or "",
        "areas_for_development": core.get("areas_for_development") or "",
        "rag": [rag[v] for v in ("red", "amber", "green")],
        "summary": [{"look_for": k, **v} for k, v in summary],
        "totals": {v: sum(c[v] for c in counts.values()) for v in ("red", "amber", "green")},
    }
