"""About 200 fictional pupils, Reception to Year 6, with a realistic SEN register and history."""

from datetime import date, timedelta
from random import Random

from stdnum.gb import upn as upn_rules

from server.demo.calendar import shift_years
from server.demo.names import pupil_name
from server.demo.school import ESTAB, LA
from server.extensions import db
from server.models import Pupil, PupilNeed, SenProvision

# Census need mix for SEN support in primary schools: SLCN and SEMH lead, sensory/physical rare.
K_NEEDS = {
    "SLCN": 25,
    "SEMH": 20,
    "SPLD": 14,
    "MLD": 14,
    "ASD": 11,
    "HI": 2,
    "VI": 1,
    "PD": 2,
    "OTH": 2,
    "NSA": 3,
}
E_NEEDS = {"ASD": 5, "SLCN": 2, "SEMH": 2, "MLD": 1, "PD": 1, "SLD": 1}
SECOND_NEEDS = {"SLCN": 3, "SEMH": 3, "SPLD": 1, "MLD": 1, "ASD": 1}
OTHER_LAS = ["821", "822", "823", "826", "830", "855", "886", "919", "936"]
LATEST_SEN_START = date(2026, 11, 13)
K_SHARE, E_SHARE = 0.14, 0.025


def year_number(year_group: str) -> int:
    return 0 if year_group == "R" else int(year_group)


def school_day(day: date) -> date:
    """Move a weekend date on to the Monday: records are opened on school days."""
    return day + timedelta(days=max(0, 7 - day.weekday())) if day.weekday() >= 5 else day


def between(rng: Random, start: date, end: date) -> date:
    return school_day(start + timedelta(days=rng.randint(0, max(0, (end - start).days))))


def make_upn(la: str, estab: str, year: int, serial: int) -> str:
    body = f"{la}{estab}{year % 100:02d}{serial:03d}"
    return upn_rules.calc_check_digit(body) + body


def _one_pupil(rng: Random, school_id: int, school_class, serial: int, taken: set) -> Pupil:
    years_in = year_number(school_class.year_group)
    entry_year = 2026 - years_in  # the September this pupil started Reception somewhere
    gender = rng.choice("MF")
    eal = rng.random() < 0.15
    forename, surname, preferred = pupil_name(rng, gender, eal, taken)
    born = date(entry_year - 5, 9, 1) + timedelta(days=rng.randint(0, 364))
    started = school_day(date(entry_year, 9, 3))
    upn = make_upn(LA, ESTAB, entry_year, serial)
    if years_in and rng.random() < 0.08:  # joined from a school in another LA, keeping its UPN
        started = between(rng, started + timedelta(days=200), date(2026, 9, 3))
        upn = make_upn(
            rng.choice(OTHER_LAS), str(rng.randint(2000, 3999)), entry_year, rng.randint(1, 180)
        )
    return Pupil(
        school_id=school_id,
        upn=upn,
        forename=forename,
        surname=surname,
        preferred_name=preferred,
        dob=born,
        gender=gender,
        year_group=school_class.year_group,
        class_id=school_class.id,
        key_teacher_id=school_class.teachers[0].id,
        started_on=started,
        eal=eal,
        pupil_premium=rng.random() < 0.25,
        photo_consent=rng.random() < 0.88,
        provisions=[],
        needs=[],
    )  # set empty so reading them later costs no query


def build_pupils(
    rng: Random, school_id: int, classes: dict, years: int, today: date
) -> list[Pupil]:
    taken: set = set()
    pupils = []
    for school_class in classes.values():
        pupils += [
            _one_pupil(rng, school_id, school_class, serial, taken)
            for serial in range(1, rng.randint(28, 30) + 1)
        ]
    for child in rng.sample(pupils, 3):
        child.looked_after = child.pupil_premium = True  # looked-after children attract PP+
    _sen_register(rng, school_id, pupils)
    move_to_year(pupils, years, today)
    db.session.add_all(pupils)
    db.session.flush()
    return pupils


def _weight(pupil: Pupil) -> float:
    """Boys, older pupils and looked-after children are likelier to be on the register."""
    by_year = {0: 0.5, 1: 0.8}.get(year_number(pupil.year_group), 1.0)
    return by_year * (1.8 if pupil.gender == "M" else 1.0) * (3 if pupil.looked_after else 1)


def _weighted_sample(rng: Random, pupils: list, count: int) -> list:
    # Efraimidis-Spirakis: one pass, deterministic for a given rng.
    keyed = sorted(pupils, key=lambda p: rng.random() ** (1 / _weight(p)), reverse=True)
    return keyed[:count]


def _pick(rng: Random, weights: dict, exclude=()) -> str:
    options = [code for code in weights if code not in exclude]
    return rng.choices(options, [weights[c] for c in options])[0]


def _sen_register(rng: Random, school_id: int, pupils: list) -> None:
    n_e, n_k = round(len(pupils) * E_SHARE), round(len(pupils) * K_SHARE)
    chosen = _weighted_sample(rng, pupils, n_e + n_k)
    for pupil in chosen[:n_e]:
        _give_sen(rng, school_id, pupil, "E")
    for pupil in chosen[n_e:]:
        _give_sen(rng, school_id, pupil, "K")
    older = [p for p in pupils if p not in chosen and p.started_on < date(2024, 1, 1)]
    for pupil in rng.sample(older, 4):  # came off the register: history but no open record
        start = between(rng, pupil.started_on, date(2025, 1, 6))
        pupil.provisions = [
            SenProvision(
                school_id=school_id,
                code="K",
                start_date=start,
                end_date=between(rng, start + timedelta(days=180), date(2026, 7, 17)),
            )
        ]


def _give_sen(rng: Random, school_id: int, pupil: Pupil, code: str) -> None:
    early_years = year_number(pupil.year_group) < 2
    weights = (
        E_NEEDS
        if code == "E"
        else {k: (0 if early_years and k == "SPLD" else w) for k, w in K_NEEDS.items()}
    )
    primary = _pick(rng, weights)
    codes = [primary]
    if primary != "NSA" and rng.random() < 0.35:
        codes.append(_pick(rng, SECOND_NEEDS, exclude=codes))
    pupil.needs = [
        PupilNeed(school_id=school_id, need_type=c, rank=r) for r, c in enumerate(codes, 1)
    ]
    pupil.provisions = [
        SenProvision(school_id=school_id, code=c, start_date=s, end_date=e)
        for c, s, e in _history(rng, pupil, code)
    ]
    if code == "E":
        pupil.ehcp_annual_review_due = next_anniversary(pupil.provisions[-1].start_date)


def next_anniversary(issued: date) -> date:
    """EHC plans are reviewed at least every 12 months from issue: the next one after 1 Sep 2026."""
    years = max(1, 2026 - issued.year)
    due = issued.replace(year=issued.year + years, day=min(issued.day, 28))
    return due if due >= date(2026, 9, 1) else due.replace(year=due.year + 1)


def _history(rng: Random, pupil: Pupil, code: str) -> list[tuple]:
    """Dated records, oldest first, the last one open: E usually follows a spell of SEN support."""
    first_day = pupil.started_on
    if code == "E" and first_day.year == 2026:  # plan issued in the early years, before school
        return [("E", date(2026, 6, 15), None)]
    current = (
        between(rng, max(first_day + timedelta(days=120), date(2023, 9, 4)), LATEST_SEN_START)
        if first_day.year < 2026
        else between(rng, date(2026, 10, 5), LATEST_SEN_START)
    )
    if code == "E":
        k_start = school_day(first_day + timedelta(days=rng.randint(30, 90)))
        return [("K", k_start, current - timedelta(days=1)), ("E", current, None)]
    if current - first_day > timedelta(days=500) and rng.random() < 0.25:
        start = between(rng, first_day, current - timedelta(days=400))
        end = school_day(start + timedelta(days=rng.randint(150, 250)))
        return [("K", start, end), ("K", current, None)]
    return [("K", current, None)]


def move_to_year(pupils: list[Pupil], years: int, today: date) -> None:
    """The register is drawn for 2026-27; a demo built in another school year moves every date
    by whole years, so ages fit year groups, and no SEN record starts after today."""
    for pupil in pupils:
        pupil.dob = shift_years(pupil.dob, years)
        pupil.started_on = shift_years(pupil.started_on, years)
        pupil.ehcp_annual_review_due = shift_years(pupil.ehcp_annual_review_due, years)
        for record in pupil.provisions:
            record.start_date = min(shift_years(record.start_date, years), today)
            record.end_date = shift_years(record.end_date, years)
            if record.end_date is not None:
                record.end_date = min(max(record.end_date, record.start_date), today)
