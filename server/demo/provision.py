"""Interventions and their groups, placed in the school year around the day the demo is built:
most blocks run on with their review ahead, one is past its mid-block review, and the blocks
that have finished carry exit data and outcomes, as a SENCO's records would."""

from datetime import date, timedelta
from random import Random

from server.demo.catalogue import (
    BLOCKS,
    FINE_MOTOR_EXIT,
    INTERVENTIONS,
    OUTCOME_NOTES,
    QUALITATIVE_ENTRY,
    SESSIONS,
)
from server.demo.outcomes import exit_data
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
MAX_GROUPS_PER_PUPIL = 2
SPEC = {spec["name"]: spec for spec in INTERVENTIONS}


def friday(monday: date) -> date:
    return monday + timedelta(days=4)


def block_weeks(mondays: list[date], this_week: int, block: dict) -> list[date]:
    """The Mondays of the block's teaching weeks (never before the school year began)."""
    first = max(1, this_week - block["ago"]) if this_week else 0  # week 0 is only part of one
    weeks = mondays[first : first + block["weeks"]]
    while len(weeks) < block["weeks"]:  # a block running past the year's last listed week
        weeks.append(weeks[-1] + timedelta(weeks=1))
    return weeks


def build_provision(
    rng: Random, school_id: int, pupils: list[Pupil], tas: list, mondays: list, this_week: int
) -> list[Group]:
    interventions = {
        spec["name"]: Intervention(
            school_id=school_id,
            default_hourly_staff_cost_pence=spec["pence"],
            default_resource_cost_pence=spec["resources"],
            **{f: spec.get(f) for f in CATALOGUE_FIELDS},
        )
        for spec in INTERVENTIONS
    }
    load: dict[int, int] = {}
    groups, earlier = [], {}
    for index, block in enumerate(BLOCKS):
        spec = SPEC[block["name"]]
        weeks = block_weeks(mondays, this_week, block)
        ended = weeks[-1] < mondays[this_week]
        group = _group(school_id, spec, block, weeks, mondays, interventions, ended)
        group.staff = [tas[index % len(tas)]]
        chosen = _choose(rng, pupils, spec, load, avoid=earlier.get(spec["name"], ()))
        earlier[spec["name"]] = chosen
        group.enrolments = [_enrol(rng, school_id, spec, group, pupil) for pupil in chosen]
        if ended:
            _finish(rng, spec, group)
        elif block.get("early_leaver"):
            _leave_early(rng, spec, group, mondays[this_week])
        groups.append(group)
    db.session.add_all(groups)
    db.session.flush()
    return groups


def _group(school_id, spec, block, weeks, mondays, interventions, ended) -> Group:
    label = mondays_label(weeks[0])
    review_week = weeks[block.get("review_after", len(weeks)) - 1]
    year_label = "/".join("R" if y == "R" else f"Y{y}" for y in spec["years"])
    return Group(
        school_id=school_id,
        intervention=interventions[spec["name"]],
        name=f"{spec['name']}, {year_label}, {label}",
        sessions_per_week=spec["sessions"],
        minutes_per_session=spec["minutes"],
        weeks=block["weeks"],
        days=list(SESSIONS[spec["name"]]["days"]),
        ratio=spec["ratio"],
        start_date=weeks[0],
        review_date=friday(review_week),
        hourly_staff_cost_pence=spec["pence"],
        resource_cost_pence=spec["resources"],
        funding_source=spec["funding"],
        location=spec["location"],
        active=not ended,
        ended_on=friday(weeks[-1]) if ended else None,
    )


def mondays_label(monday: date) -> str:
    """ "from 14 Sep": how a school tells two blocks of the same intervention apart."""
    return f"from {monday.day} {monday:%b}"


def _choose(rng: Random, pupils: list[Pupil], spec: dict, load: dict, avoid=()) -> list[Pupil]:
    """Mostly SEN-register pupils whose needs suit; topped up from the register, then PP pupils.
    A second block of an intervention takes other pupils where it can."""
    in_years = [
        p
        for p in pupils
        if p.year_group in spec["years"]
        and load.get(id(p), 0) < MAX_GROUPS_PER_PUPIL
        and p not in avoid
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


def _enrol(rng: Random, school_id: int, spec: dict, group: Group, pupil: Pupil) -> Enrolment:
    return Enrolment(
        school_id=school_id,
        pupil=pupil,
        joined_on=group.start_date,
        entry_data=entry_data(rng, spec, pupil, group.start_date),
        target=rng.choice(spec["targets"]),
        success_criteria=spec["success"],
        target_review_date=group.review_date,
    )


def _finish(rng: Random, spec: dict, group: Group) -> None:
    """A finished block: every pupil leaves on its last day with exit data and an outcome."""
    for enrolment in group.enrolments:
        gain = rng.choices([0, 1, 2, 3], [2, 4, 4, 2])[0]
        _close(rng, spec, enrolment, group.ended_on, gain)


def _leave_early(rng: Random, spec: dict, group: Group, this_monday: date) -> None:
    """One pupil meets the exit criteria mid-block and leaves with the target met."""
    enrolment = group.enrolments[0]
    _close(rng, spec, enrolment, this_monday - timedelta(days=10), gain=3)


def _close(rng: Random, spec: dict, enrolment: Enrolment, left_on: date, gain: int) -> None:
    measure = spec["measure_type"]
    enrolment.left_on = left_on
    if measure == "qualitative":
        status = ["not_met", "partly_met", "met", "met"][gain]
        enrolment.exit_data = {
            "note": FINE_MOTOR_EXIT[["met", "partly_met", "not_met"].index(status)]
        }
    else:
        enrolment.exit_data = exit_data(rng, measure, enrolment.entry_data, gain)
        status = ["not_met", "partly_met", "met", "met"][gain]
    enrolment.outcome_status = status
    enrolment.outcome = rng.choice(OUTCOME_NOTES[status])


def entry_data(rng: Random, spec: dict, pupil: Pupil, start: date) -> dict:
    """A baseline shaped by the measure type, as a TA would record it at the first session."""
    measure = spec["measure_type"]
    if measure == "standardised_score":
        return {"score": rng.randint(72, 82)}
    if measure == "reading_age":
        age_months = (start - pupil.dob).days * 12 // 365
        reading = age_months - rng.randint(18, 30)
        return {"years": reading // 12, "months": reading % 12}
    if measure == "sub_level":
        return {"level": rng.choice(SUB_LEVELS.get(pupil.year_group, ["1a", "2c"]))}
    if measure == "leuven":
        return {"wellbeing": rng.randint(1, 3), "involvement": rng.randint(1, 3)}
    if measure == "custom_scale":
        return {"value": rng.randint(6, 16), "max": 40}
    return {"note": rng.choice(QUALITATIVE_ENTRY[spec["name"]])}
