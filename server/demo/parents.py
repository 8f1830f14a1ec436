"""Parents and passports in the demo. Each pupil on the SEN register had a structured
conversation with their parents early this term (all but a couple acknowledged), and
about half the passports are partly written in the words the pupils and parents used, so the
passport editor opens with real fields beside real suggestions still to consider."""

from datetime import date, time, timedelta
from random import Random

from server.demo.entries import entry, saved_at
from server.models import Entry, Passport, PassportField, PassportFieldVersion, Pupil

PERSPECTIVE = [
    "Settled better this year; mornings are still a struggle at home.",
    "Loves coming to school but gets very tired by Thursday.",
    "Worried about reading: avoids books at home.",
    "Much calmer since the visual timetable started.",
]
DOES_WELL = [
    "Kind to younger children",
    "Great at building things",
    "Remembers facts about animals",
    "Keeps trying when something is hard",
]
BARRIERS = [
    "Noise in busy rooms",
    "Writing by hand",
    "Changes to the routine",
    "Remembering instructions",
]
SUMMARY = [
    "We agreed to keep the group sessions going and to share a reading book each week.",
    "We agreed a calm start in the morning and a check-in with the key adult.",
    "We agreed to use the same visual prompts at home and at school.",
]
WHAT_HELPS = [
    "A quiet place to work",
    "When my teacher shows me first",
    "Pictures to help me remember",
]


def conversations(
    rng: Random, school_id: int, senco, pupils: list[Pupil], open_days, today
) -> list:
    """One conversation per register pupil, three to six weeks into the term, before today."""
    term_days = sorted(d for d in open_days if d < today and (today - d).days < 70)
    if len(term_days) < 20:
        return []
    found = []
    for pupil in pupils:
        day = term_days[rng.randrange(10, min(len(term_days), 35))]
        core = {
            "date": day.isoformat(),
            "pupil_id": pupil.id,
            "attendees": [
                {"name": senco.name, "role": "senco"},
                {"name": f"Parent of {pupil.forename}", "role": "parent"},
            ],
            "pupil_participation": "views_beforehand",
            "targets": [
                {
                    "wording": f"{pupil.forename} will {rng.choice(['read', 'use', 'ask for'])} "
                    "with support three times a week",
                    "review_date": (day + timedelta(weeks=8)).isoformat(),
                }
            ],
            "actions": [{"action": "Share the visual timetable with home", "owner": senco.name}],
            # A couple still to chase, not a page of them: most parents sign within the week.
            "parent_acknowledged": rng.random() < 0.93,
            "duration_minutes": rng.choice([20, 30, 40]),
        }
        answers = {
            "parent_perspective": rng.choice(PERSPECTIVE),
            "does_well": rng.choice(DOES_WELL),
            "barriers": rng.choice(BARRIERS),
            "summary": rng.choice(SUMMARY),
        }
        at = saved_at(day, time(15, 30), core["duration_minutes"])
        found.append(
            entry(school_id, senco.id, "conversation", "conversation-structured", core, answers, at)
        )
    return found


def _answer(entries: list[Entry], question: str) -> str | None:
    said = [e.answers.get(question) for e in entries if isinstance(e.answers.get(question), str)]
    return said[-1] if said else None


def passports(
    session, school_id: int, senco_id: int, pupils: list[Pupil], entries: list[Entry], today: date
) -> int:
    """Write a few fields of every other register pupil's passport, from what they said."""
    about: dict[int, list[Entry]] = {}
    for e in entries:
        if e.kind in ("pupil_voice", "conversation"):
            about.setdefault(e.core["pupil_id"], []).append(e)
    written = 0
    for n, pupil in enumerate(pupils):
        said = about.get(pupil.id, [])
        if n % 2 or not said:
            continue
        fields = {
            "i_enjoy": _answer(said, "enjoy"),
            "what_helps_me": _answer(said, "helps_learn") or WHAT_HELPS[n % len(WHAT_HELPS)],
            "my_parents_think": _answer(said, "parent_perspective"),
        }
        agreed = n % 4 == 0
        session.add(
            Passport(
                school_id=school_id,
                pupil_id=pupil.id,
                status="agreed" if agreed else "draft",
                agreed_on=today - timedelta(days=20) if agreed else None,
                shared_with_parent_on=today - timedelta(days=18) if agreed else None,
                parent_acknowledged_on=today - timedelta(days=15) if agreed else None,
            )
        )
        for field, value in fields.items():
            if not value:
                continue
            session.add(
                PassportField(
                    school_id=school_id,
                    pupil_id=pupil.id,
                    field=field,
                    value=value,
                    rev=1,
                    edited_by=senco_id,
                )
            )
            session.add(
                PassportFieldVersion(
                    school_id=school_id,
                    pupil_id=pupil.id,
                    field=field,
                    rev=1,
                    value=value,
                    edited_by=senco_id,
                    op_id=None,
                )
            )
        written += 1
    return written
