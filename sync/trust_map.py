"""The provision map rolled up across a trust's or local authority's schools (issue 16).

Each school's map is built exactly as its own viewer's (sync/provision_map.py, aggregate only:
no pupil rows, names, targets, notes or voice), then reduced to figures: per school, its totals,
its pupils in provision with their attendance and progress buckets (sync/provision_rollup.py),
and a line per area of need; across the schools, the same figures added up. Group names and
the staff who run them stay in the school: a trust compares schools, not groups.
"""

from datetime import date
from types import SimpleNamespace

from sqlalchemy import and_, or_, select

from server.models import Pupil, School, SenProvision, TrustGrant
from sync import provision_figures as fig
from sync.provision_map import build_map
from sync.provision_rollup import BUCKETS

COUNTS = ("groups", "enrolments", "sessions_planned", "sessions_delivered")
SUMS = COUNTS + ("minutes_delivered", "cost_pence")


def granted_school_ids(session, staff_id: int) -> list[int]:
    return list(
        session.scalars(select(TrustGrant.school_id).where(TrustGrant.staff_id == staff_id))
    )


def total_label(schools: int) -> str:
    """The name of the total line, the same in the app and the CSV."""
    return {1: "Total", 2: "Both schools"}.get(schools, f"All {schools} schools")


def build_rollup(session, viewer, as_of: date) -> dict:
    schools = session.execute(
        select(School.id, School.name, School.dfe_number)
        .where(School.id.in_(granted_school_ids(session, viewer.id)))
        .order_by(School.name, School.id)
    ).all()
    registers = sen_registers(session, [school.id for school in schools], as_of)
    lines = [
        _school_line(session, viewer, school, as_of) | {"sen_register": registers[school.id]}
        for school in schools
    ]
    return {
        "as_of": as_of.isoformat(),
        "aggregate_only": True,
        "schools": lines,
        "totals": _add_up([line["totals"] for line in lines]),
        "total_label": total_label(len(lines)),
        "by_area": _merge_areas([line["by_area"] for line in lines]),
        "pupils_in_provision": _add_pupils([line["pupils_in_provision"] for line in lines]),
        "sen_register": _register([line["sen_register"] for line in lines]),
    }


def sen_registers(session, school_ids: list[int], as_of: date) -> dict[int, dict]:
    """Per school, the census figures a trust compares its schools by: pupils on roll on the
    day, and how many of them had SEN support (K) or an EHC plan (E) then, from each pupil's
    dated SEN records (a record's end date is the first day it no longer applies)."""
    in_force = and_(
        SenProvision.pupil_id == Pupil.id,
        SenProvision.start_date <= as_of,
        or_(SenProvision.end_date.is_(None), SenProvision.end_date > as_of),
    )
    rows = session.execute(
        select(Pupil.school_id, Pupil.id, SenProvision.code, SenProvision.start_date)
        .outerjoin(SenProvision, in_force)
        .where(
            Pupil.school_id.in_(school_ids),
            or_(Pupil.started_on.is_(None), Pupil.started_on <= as_of),
            or_(Pupil.left_on > as_of, and_(Pupil.left_on.is_(None), Pupil.on_roll)),
        )
        .order_by(Pupil.id, SenProvision.start_date)
    ).all()
    codes = {}  # the record that started last wins, should two overlap
    for school_id, pupil_id, code, _ in rows:
        codes[pupil_id] = (school_id, code)
    per_school = {school_id: {"on_roll": 0, "K": 0, "E": 0} for school_id in school_ids}
    for school_id, code in codes.values():
        per_school[school_id]["on_roll"] += 1
        if code in ("K", "E"):
            per_school[school_id][code] += 1
    return {
        school_id: _register_figures(c["on_roll"], c["K"], c["E"])
        for school_id, c in per_school.items()
    }


def _register(per_school: list[dict]) -> dict:
    return _register_figures(
        *(sum(r[key] for r in per_school) for key in ("on_roll", "sen_support", "ehc_plan"))
    )


def _register_figures(on_roll: int, sen_support: int, ehc_plan: int) -> dict:
    return {
        "on_roll": on_roll,
        "sen_support": sen_support,
        "sen_support_pct": fig.percent(sen_support, on_roll),
        "ehc_plan": ehc_plan,
        "ehc_plan_pct": fig.percent(ehc_plan, on_roll),
    }


def _school_line(session, viewer, school, as_of: date) -> dict:
    # The viewer's own role and id, in this school: scope and the aggregate cut come from policy.
    reader = SimpleNamespace(id=viewer.id, school_id=school.id, role=viewer.role)
    result = build_map(session, reader, {}, as_of)
    totals = result["totals"]
    return {
        "school_id": school.id,
        "name": school.name,
        "dfe_number": school.dfe_number,
        "totals": {k: totals[k] for k in SUMS + ("pupils", "progress")}
        | {"fidelity_pct": totals["fidelity_pct"]},
        "by_area": _by_area(result["groups"]),
        "pupils_in_provision": result["by_class"]["school"],
    }


def _by_area(rows: list[dict]) -> dict:
    areas: dict = {}
    for row in rows:
        area = areas.setdefault(row["intervention"]["area_of_need"], dict.fromkeys(SUMS, 0))
        area["groups"] += 1
        area["enrolments"] += row["group_size"]
        for key in ("sessions_planned", "sessions_delivered", "minutes_delivered", "cost_pence"):
            area[key] += row[key] or 0
    for area in areas.values():
        area["fidelity_pct"] = fig.percent(area["sessions_delivered"], area["sessions_planned"])
    return areas


def _merge_areas(per_school: list[dict]) -> dict:
    merged: dict = {}
    for areas in per_school:
        for name, area in areas.items():
            total = merged.setdefault(name, dict.fromkeys(SUMS, 0))
            for key in SUMS:
                total[key] += area[key]
    for area in merged.values():
        area["fidelity_pct"] = fig.percent(area["sessions_delivered"], area["sessions_planned"])
    return dict(sorted(merged.items()))


def _add_up(per_school: list[dict]) -> dict:
    """Counts add; a percentage is recomputed from the added counts, never averaged."""
    total = {key: sum(t[key] for t in per_school) for key in SUMS + ("pupils",)}
    progress: dict = {}
    for t in per_school:
        for measure, figures in t["progress"].items():
            into = progress.setdefault(measure, {"moved": 0, "counted": 0, "steps": 0})
            for key in into:
                into[key] += figures[key]
    for figures in progress.values():
        figures["summary"] = f"{figures['moved']}/{figures['counted']} moved ≥ 1 step"
    total["fidelity_pct"] = fig.percent(total["sessions_delivered"], total["sessions_planned"])
    return total | {"schools": len(per_school), "progress": progress}


def _add_pupils(per_school: list[dict]) -> dict:
    keys = ("pupils", "enrolments", "minutes_received") + BUCKETS
    total = {key: sum(line[key] for line in per_school) for key in keys}
    # No attendance % across schools: the school lines keep only their own percentage, and an
    # average of percentages would weigh a small school like a large one.
    return total
