"""The demo's evidence: a running record for every session each group ran up to yesterday (a
few missed, as in any school), and a pupil-voice entry or two per pupil, then the provision
map's projections rebuilt from them by the merge itself. Today is left for the user: a TA
logging in records today's session."""

from datetime import date, time, timedelta
from random import Random

from server.demo import parents
from server.demo.catalogue import SESSIONS
from server.demo.entries import entry, saved_at, store
from server.demo.voice import raise_concerns, voice_entries, worried_entries
from server.extensions import db
from server.models import Entry, Group
from sync.merge.rebuild import rebuild

DAY_OFFSET = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4}
MISSED = 0.07  # sessions lost to trips, assemblies and absence cover
ABSENCE = ["Off sick", "Medical appointment", "Music lesson", "School trip", "Late to school"]
NOTES = [
    "Good focus today.",
    "Needed prompting to start.",
    "Used the visual prompt card well.",
    "Tired after PE.",
    "Answered in full sentences.",
    "Helped a partner without being asked.",
]
CHANGES = [
    "Shortened: assembly overran.",
    "Moved to the library: group room in use.",
    "Swapped the game for a quieter task.",
]
FEEDBACK = [
    "Worth praising in class today: a real step on.",
    "Found it hard to settle; a calm start in class would help.",
]


def school_days(terms: list) -> set[date]:
    days = set()
    for _, first, last in terms:
        day = first
        while day <= last:
            if day.weekday() < 5:
                days.add(day)
            day += timedelta(days=1)
    return days


def session_days(group: Group, mondays: list[date], open_days: set, last: date) -> list[date]:
    weeks = [m for m in mondays if m >= group.start_date][: group.weeks]
    days = [m + timedelta(days=DAY_OFFSET[d]) for m in weeks for d in group.days]
    return [d for d in days if d in open_days and d <= last]


def build_evidence(rng: Random, school: dict, groups: list, mondays, terms, today) -> dict:
    """school: {"id", "senco_id", "senco", "register"} (register: the pupils on K or E)."""
    school_id = school["id"]
    open_days = school_days(terms)
    entries = []
    for group in groups:
        last = min(group.ended_on or today, today - timedelta(days=1))
        days = session_days(group, mondays, open_days, last)
        keep = [d for i, d in enumerate(days) if i >= len(days) - 3 or rng.random() > MISSED]
        shy = _low_attender(rng, group)
        entries += [_session(rng, school_id, group, day, shy) for day in keep]
    entries = [e for e in entries if e is not None]
    entries += voice_entries(rng, school_id, groups, open_days, today)
    register = school.get("register", [])
    entries += parents.conversations(
        rng, school_id, school.get("senco"), register, open_days, today
    )
    worried = worried_entries(rng, school_id, groups, open_days, today)
    store(school_id, entries + worried)
    raise_concerns(db.session, school_id, worried, school["senco_id"])
    parents.passports(db.session, school_id, school["senco_id"], register, entries, today)
    counts = rebuild(db.session, school_id)
    return {"session_records": sum(e.kind == "session_record" for e in entries), **counts}


def _low_attender(rng: Random, group: Group) -> int | None:
    """One pupil in the Zones group misses a lot: the review list should say so."""
    if not group.active or not group.name.startswith("Zones"):
        return None
    return rng.choice(group.enrolments).pupil.id


def _session(rng, school_id, group, day, shy) -> Entry | None:
    present = [e for e in group.enrolments if e.joined_on <= day <= (e.left_on or day)]
    if not present:
        return None
    spec = SESSIONS[group.intervention.name]
    # How far through the block (0 at the start, 1 at its end), not through the sessions so far.
    progress = min(1.0, (day - group.start_date).days / (7 * group.weeks))
    planned = rng.random() > 0.1
    core = {
        "date": day.isoformat(),
        "group_id": group.id,
        "start_time": spec["time"],
        "minutes_delivered": group.minutes_per_session
        if planned
        else group.minutes_per_session - 5,
        "location": group.location,
        "withdrawn_from": spec["withdrawn"],
        "delivered_as_planned": planned,
        "changes_made": None if planned else rng.choice(CHANGES),
        "attendance": [_mark(rng, e, spec, progress, e.pupil.id == shy) for e in present],
        "feedback_to_teacher": rng.choice(FEEDBACK) if rng.random() < 0.08 else None,
    }
    at = saved_at(day, time.fromisoformat(spec["time"]), group.minutes_per_session)
    return entry(
        school_id, group.staff[0].id, "session_record", "session-record", core, {}, at, group.id
    )


def _mark(rng: Random, enrolment, spec: dict, progress: float, shy: bool) -> dict:
    roll = rng.random()
    if roll < (0.4 if shy else 0.06):
        return {
            "pupil_id": enrolment.pupil.id,
            "status": "absent",
            "absence_reason": rng.choice(ABSENCE),
        }
    row = {
        "pupil_id": enrolment.pupil.id,
        "status": "late" if roll > 0.97 else "present",
        # Engagement grows through a block, from about 3 to about 4 of 5.
        "engagement": max(1, min(5, round(2.8 + 1.4 * progress + rng.uniform(-1, 1)))),
        "step": spec["steps"][min(len(spec["steps"]) - 1, int(progress * len(spec["steps"])))],
        "note": rng.choice(NOTES) if rng.random() < 0.2 else None,
    }
    score = _probe(enrolment, progress)
    if score is not None:
        row["score"] = score
    return row


def _probe(enrolment, progress: float) -> float | None:
    """Precision teaching's one-minute probe: words read correctly, climbing through the block
    toward the exit figure (or, still running, about six words on from the start)."""
    data = enrolment.entry_data or {}
    if "value" not in data:
        return None
    goal = (enrolment.exit_data or {}).get("value", data["value"] + 6 + 10 * progress)
    return float(round(data["value"] + (goal - data["value"]) * progress))
