"""Interventions, one autumn group each, and enrolments with entry data typed by the measure."""

from datetime import date, timedelta
from random import Random

from server.demo.catalogue import FINE_MOTOR_EXIT, INTERVENTIONS, QUALITATIVE_ENTRY
from server.demo.school import AUTUMN_HALF_TERM
from server.extensions import db
from server.models import Enrolment, Group, Intervention, Pupil

CATALOGUE_FIELDS = (
    "name",
    "area_of_need",
    "measure_type",
    "description",
    "evidence_note",
    "entry_criteria",
    "exit_criteria",
    "exit_rule",
)
SUB_LEVELS = {"4": ["1a", "2c", "2b"], "5": ["2c", "2b", "2a"], "6": ["2b", "2a", "3c"]}
FINISHED = "Fine motor skills group"  # short block already reviewed, so the map shows outcomes
MAX_GROUPS_PER_PUPIL = 2


def last_session(start: date, weeks: int) -> date:
    """The Friday of the block's last teaching week, skipping the autumn half-term week."""
    friday = start - timedelta(days=start.weekday()) + timedelta(weeks=weeks, days=-3)
    crosses_half_term = start < AUTUMN_HALF_TERM <= friday
    return friday + timedelta(weeks=1) if crosses_half_term else friday


def build_provision(rng: Random, school_id: int, pupils: list[Pupil], tas: list) -> list[Group]:
    load: dict[int, int] = {}
    groups = []
    for index, spec in enumerate(INTERVENTIONS):
        intervention = Intervention(
            school_id=school_id, **{f: spec.get(f) for f in CATALOGUE_FIELDS}
        )
        review = last_session(spec["start"], spec["weeks"])
        year_label = "/".join("R" if y == "R" else f"Y{y}" for y in spec["years"])
        group = Group(
            school_id=school_id,
            intervention=intervention,
            name=f"{spec['name']}, {year_label}, autumn 2026",
            sessions_per_week=spec["sessions"],
            minutes_per_session=spec["minutes"],
            weeks=spec["weeks"],
            ratio=spec["ratio"],
            start_date=spec["start"],
            review_date=review,
            hourly_staff_cost_pence=spec["pence"],
            resource_cost_pence=spec["resources"],
            funding_source=spec["funding"],
            location=spec["location"],
            staff=[tas[index % len(tas)]],
        )
        group.enrolments = [
            _enrol(rng, school_id, spec, pupil, review)
            for pupil in _choose(rng, pupils, spec, load)
        ]
        groups.append(group)
    db.session.add_all(groups)
    db.session.flush()
    return groups


def _choose(rng: Random, pupils: list[Pupil], spec: dict, load: dict) -> list[Pupil]:
    """Mostly SEN-register pupils whose needs suit; topped up from the register, then PP pupils."""
    in_years = [
        p
        for p in pupils
        if p.year_group in spec["years"] and load.get(id(p), 0) < MAX_GROUPS_PER_PUPIL
    ]
    register = [p for p in in_years if p.sen_provision != "N"]
    suited = [p for p in register if any(n.need_type in spec["needs"] for n in p.needs)]
    rest = [p for p in register if p not in suited]
    disadvantaged = [p for p in in_years if p.sen_provision == "N" and p.pupil_premium]
    ordered = []
    for pool in (suited, rest, disadvantaged, in_years):
        rng.shuffle(pool)
        ordered += [p for p in pool if p not in ordered]
    chosen = ordered[: spec["size"]]
    for pupil in chosen:
        load[id(pupil)] = load.get(id(pupil), 0) + 1
    return chosen


def _enrol(rng: Random, school_id: int, spec: dict, pupil: Pupil, review: date) -> Enrolment:
    enrolment = Enrolment(
        school_id=school_id,
        pupil=pupil,
        joined_on=spec["start"],
        entry_data=entry_data(rng, spec, pupil),
        target=rng.choice(spec["targets"]),
        success_criteria=spec["success"],
        target_review_date=review,
    )
    if spec["name"] == FINISHED:
        met = rng.randrange(len(FINE_MOTOR_EXIT))
        enrolment.exit_data = {"note": FINE_MOTOR_EXIT[met]}
        enrolment.outcome = [
            "Target met; continue with pencil grip in class.",
            "Partly met; repeat the block in spring with cutting focus.",
            "Not yet met; SENCO to discuss an OT referral with parents.",
        ][met]
        enrolment.left_on = review
    return enrolment


def entry_data(rng: Random, spec: dict, pupil: Pupil) -> dict:
    """A baseline shaped by the measure type, as a TA would record it at the first session."""
    measure = spec["measure_type"]
    if measure == "standardised_score":
        return {"score": rng.randint(72, 84)}
    if measure == "reading_age":
        age_months = (spec["start"] - pupil.dob).days * 12 // 365
        reading = age_months - rng.randint(18, 30)
        return {"years": reading // 12, "months": reading % 12}
    if measure == "sub_level":
        return {"level": rng.choice(SUB_LEVELS.get(pupil.year_group, ["1a", "2c"]))}
    if measure == "leuven":
        return {"wellbeing": rng.randint(1, 3), "involvement": rng.randint(1, 3)}
    if measure == "custom_scale":
        return {"value": rng.randint(6, 18), "max": 40}
    return {"note": rng.choice(QUALITATIVE_ENTRY[spec["name"]])}
