"""Pupil voice in the demo: each pupil in a group gives their views near the start of the block
and again lately, through the built-in prompt set for their age (faces and their own words),
so the provision map has a voice trend and the passport has suggestions with their source.
Two pupils say they are worried: one concern is still open, one was dealt with and closed."""

from datetime import date, time, timedelta
from random import Random

from server.demo.entries import entry, saved_at
from server.models import Concern, ConcernAction, Entry, Group
from sync.concerns import reasons_for

ENJOY = [
    "Building with Lego",
    "Playing football at break",
    "Drawing and colouring",
    "Reading with my teacher",
    "PE and running games",
    "Computers",
    "Making things in DT",
    "Singing in music",
]
HELPS = [
    "When my teacher shows me first",
    "Sitting near the front",
    "A quiet place to work",
    "Pictures to help me remember",
    "Working with a partner",
    "Having a break when it gets too much",
    "Counting with cubes",
]
HARD = [
    "Writing long stories",
    "Remembering my spellings",
    "When it is noisy in the hall",
    "Times tables",
    "Lining up after play",
    "Reading new words",
]
GOOD_AT = ["Running", "Helping my friends", "Lego", "Drawing", "Maths", "Looking after pets"]
WORRIES = [
    "Some older children say mean things to me at lunch.",
    "I get scared walking home on my own.",
]


def _template(year_group: str) -> tuple[str, int]:
    """The built-in set for the pupil's age, and its face scale's points."""
    return ("pv-early-years-ks1", 3) if year_group in ("R", "1", "2") else ("pv-ks2", 5)


def _day_near(wanted: date, open_days: set, today: date) -> date | None:
    for shift in range(0, 10):
        for day in (wanted - timedelta(days=shift), wanted + timedelta(days=shift)):
            if day in open_days and day < today:
                return day
    return None


def _answers(rng: Random, points: int, mood: int, first: bool, worry: str | None) -> dict:
    """mood 0 (low) .. 2 (high), on the pupil's scale; their own words the first time only."""
    # Lower near the start of a block, higher lately; never all the same face.
    face = rng.choice(
        {3: [[1, 2, 2], [2, 2, 3], [2, 3, 3]], 5: [[2, 3, 3], [3, 3, 4], [3, 4, 5]]}[points][mood]
    )
    answers = {
        "feel_school": min(points, face),
        "intervention": min(points, face + (1 if mood == 2 and points == 5 else 0)),
        "friends": rng.randint(max(1, points - 2), points),
        "safe": "safe",
        "worry": "worried" if worry else "no_worries",
    }
    if worry:
        answers["worry_detail"] = worry
    if first:
        answers |= {
            "enjoy": rng.choice(ENJOY),
            "helps_learn": rng.choice(HELPS),
            "hard": rng.choice(HARD),
            "good_at": rng.choice(GOOD_AT),
        }
    return answers


def voice_entries(rng: Random, school_id: int, groups: list[Group], open_days, today) -> list:
    entries, heard = [], set()
    for group in groups:
        ta = group.staff[0].id
        for enrolment in group.enrolments:
            pupil = enrolment.pupil
            first_time = pupil.id not in heard
            heard.add(pupil.id)
            template_id, points = _template(pupil.year_group)
            end = min(enrolment.left_on or today, today)
            for mood, wanted in ((0, enrolment.joined_on + timedelta(days=8)), (2, end)):
                day = _day_near(wanted, open_days, today)
                if day is None or day < enrolment.joined_on:
                    continue
                core = {
                    "date": day.isoformat(),
                    "pupil_id": pupil.id,
                    "mode": "independent" if points == 5 else "supported",
                    "supported_by": None if points == 5 else "Teaching assistant",
                    "context": "intervention_review",
                    "group_id": group.id,
                }
                answers = _answers(rng, points, mood, first_time and mood == 0, None)
                at = saved_at(day, time(15, 10), 0)
                entries.append(entry(school_id, ta, "pupil_voice", template_id, core, answers, at))
    return entries


def worried_entries(rng: Random, school_id: int, groups: list[Group], open_days, today) -> list:
    """Two later check-ins in which a pupil says they are worried (each raises a concern)."""
    running = [g for g in groups if g.active]
    found = []
    for n, (group, worry) in enumerate(zip(running[-2:], WORRIES)):
        enrolment = group.enrolments[-1]
        day = _day_near(today - timedelta(days=1 + 20 * n), open_days, today)
        template_id, points = _template(enrolment.pupil.year_group)
        core = {
            "date": day.isoformat(),
            "pupil_id": enrolment.pupil.id,
            "mode": "independent",
            "context": "everyday",
            "group_id": group.id,
        }
        answers = _answers(rng, points, 1, False, worry)
        at = saved_at(day, time(12, 40), 0)
        found.append(
            entry(school_id, group.staff[0].id, "pupil_voice", template_id, core, answers, at)
        )
    return found


def raise_concerns(session, school_id: int, worried: list[Entry], senco_id: int) -> None:
    """The concerns those answers raise, as the push raises them; the older one dealt with."""
    for n, voiced in enumerate(worried):
        row = {
            "core": voiced.core,
            "kind": voiced.kind,
            "school_id": school_id,
            "template_id": voiced.template_id,
            "template_version": voiced.template_version,
            "answers": voiced.answers,
        }
        raised = voiced.recorded_at + timedelta(minutes=5)
        concern = Concern(
            school_id=school_id,
            pupil_id=voiced.core["pupil_id"],
            entry_pk=voiced.id,
            reason="\n".join(reasons_for(session, row)),
            raised_at=raised,
        )
        session.add(concern)
        if n == 0:
            continue  # the newest stays open for the SENCO to act on
        session.flush()
        concern.status, concern.handled_by = "closed", senco_id
        concern.handled_at = raised + timedelta(days=1, hours=2)
        concern.notes = "Spoke to the pupil and to Mum; lunchtime supervisors told."
        session.add_all(
            ConcernAction(
                school_id=school_id,
                concern_id=concern.id,
                action=action,
                note=note,
                taken_by=senco_id,
                taken_at=raised + timedelta(hours=hours),
            )
            for action, note, hours in (
                ("spoke_to_pupil", "Talked with the pupil at lunchtime; named the children.", 2),
                ("spoke_to_parent", "Rang Mum after school; she had noticed too.", 5),
                (
                    "monitoring",
                    "Check in weekly for a month; lunchtime staff to watch the field.",
                    26,
                ),
            )
        )
