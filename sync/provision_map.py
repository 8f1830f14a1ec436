"""The provision map (DESIGN §6): one row per group, with the columns schools already use --
Intervention | Group size | Frequency/duration/staff | Pupils | Entry | Target | Exit | Outcomes --
and the figures computed from running records (sync/provision_figures.py says how).

Scoping: SENCO and admin see the whole school; a teacher sees the groups holding their pupils
but only their pupils' rows; a TA their own groups; a viewer aggregates only (no pupil rows,
names, targets, notes or voice). Group-level figures always cover the whole group, since a
fidelity or cost figure for part of a group means nothing.
"""

from datetime import date

from schemas.codes import OUTCOMES
from schemas.measures import describe, steps_moved
from server.models import Staff
from server.policy import aggregate_only as reads_aggregates_only
from sync import provision_figures as fig
from sync import provision_map_load as load
from sync.provision_rollup import by_class

FILTERS = ("class_id", "year_group", "area_of_need", "funding_source", "staff_id")


def build_map(session, staff: Staff, filters: dict, as_of: date) -> dict:
    """The map for one view; filters not given (None) mean the whole school."""
    filters = {k: v for k, v in filters.items() if k in FILTERS and v is not None}
    aggregate_only = reads_aggregates_only(staff.role)
    groups = load.groups(session, staff, filters)
    ids = [g["id"] for g in groups]
    context = {
        "staff": load.staff_by_group(session, ids),
        "enrolments": load.enrolments_by_group(session, ids),
        "stats": load.stats(session, ids),
        "terms": load.terms(session, staff.school_id),
        "voice": {} if aggregate_only else load.voice_by_pupil(session, ids),
        "shown": load.shown_pupils(session, staff, filters),
        "as_of": as_of,
        "aggregate_only": aggregate_only,
        "pupil_filters": {k: filters[k] for k in ("class_id", "year_group") if k in filters},
    }
    rows = [_row(group, context) for group in groups]
    result = {
        "as_of": as_of.isoformat(),
        "filters": filters,
        "aggregate_only": aggregate_only,
        "groups": rows,
        "totals": _totals(rows, context),
        "by_class": by_class(rows, context, load.classes(session, staff.school_id)),
    }
    if "class_id" in filters:
        result["classroom"] = load.classroom_provision(
            session, staff.school_id, filters["class_id"]
        )
    return result


def _row(group: dict, ctx: dict) -> dict:
    enrolments = ctx["enrolments"].get(group["id"], [])
    group_stats = ctx["stats"][0].get(group["id"]) or {}
    progress = fig.progress(group["measure_type"], enrolments)
    planned = fig.sessions_planned(
        group["start_date"],
        group["sessions_per_week"],
        group["weeks"],
        ctx["terms"],
        ctx["as_of"],
        group["days"],
    )
    delivered = group_stats.get("sessions_delivered", 0)
    marks = [fig.attendance(ctx["stats"][1].get((group["id"], e["pupil_id"]))) for e in enrolments]
    there = sum(m["sessions_present"] + m["sessions_late"] for m in marks)
    row = {
        "group_id": group["id"],
        "group": group["name"],
        "active": group["active"],
        "intervention": {
            k: group[k]
            for k in (
                "intervention_id",
                "area_of_need",
                "measure_type",
                "entry_criteria",
                "exit_criteria",
            )
        }
        | {"name": group["intervention"]},
        "group_size": len(enrolments),
        "ratio": group["ratio"],
        "frequency": fig.frequency_text(
            group["sessions_per_week"],
            group["minutes_per_session"],
            group["weeks"],
            ctx["staff"].get(group["id"], []),
            group["ratio"],
        ),
        "staff": ctx["staff"].get(group["id"], []),
        "funding_source": group["funding_source"],
        "location": group["location"],
        "days": group["days"],
        "ended_on": _iso(group["ended_on"]),
        "start_date": group["start_date"].isoformat(),
        "review_date": group["review_date"] and group["review_date"].isoformat(),
        "sessions_planned": planned,
        "sessions_delivered": delivered,
        "sessions_as_planned": group_stats.get("sessions_as_planned", 0),
        "fidelity_pct": fig.percent(delivered, planned),
        "minutes_delivered": group_stats.get("minutes_delivered", 0),
        "first_session": _iso(group_stats.get("first_session")),
        "last_session": _iso(group_stats.get("last_session")),
        "attendance_pct": fig.percent(there, there + sum(m["sessions_absent"] for m in marks)),
        "progress": progress,
        **fig.money(group, group_stats, len(enrolments), progress["steps"]),
    }
    if not ctx["aggregate_only"]:
        shown = [
            (e, m)
            for e, m in zip(enrolments, marks)
            if ctx["shown"] is None or e["pupil_id"] in ctx["shown"]
        ]
        row["pupils"] = [_pupil(group["measure_type"], e, m) for e, m in shown]
        # Points are shared between the groups a pupil is in: built once by the loader.
        row["voice_trend"] = sorted(
            (p for e, _ in shown for p in ctx["voice"].get(e["pupil_id"], [])),
            key=lambda p: (p["date"], p["pupil_id"]),
        )
    return row


def _iso(value):
    return value.isoformat() if value else None


def _pupil(measure: str, e: dict, marks: dict) -> dict:
    name = f"{e['preferred_name'] or e['forename']} {e['surname']}"
    return {
        "enrolment_id": e["id"],
        "pupil_id": e["pupil_id"],
        "name": name,
        "class_id": e["class_id"],
        "year_group": e["year_group"],
        "joined_on": _iso(e["joined_on"]),
        "left_on": _iso(e["left_on"]),
        "entry_data": e["entry_data"],
        "entry": describe(measure, e["entry_data"]),
        "target": e["target"],
        "success_criteria": e["success_criteria"],
        "target_review_date": _iso(e["target_review_date"]),
        "exit_data": e["exit_data"],
        "exit": describe(measure, e["exit_data"]),
        "outcome_status": e["outcome_status"],
        "outcome_words": OUTCOMES.get(e["outcome_status"]),
        "outcome": e["outcome"],
        "steps_moved": steps_moved(measure, e["entry_data"], e["exit_data"]),
        **marks,
    }


def _totals(rows: list[dict], ctx: dict) -> dict:
    """The roll-up: a class map's rows feed the whole-school map the same way."""
    planned = sum(r["sessions_planned"] for r in rows)
    delivered = sum(r["sessions_delivered"] for r in rows)
    pupils = {e["pupil_id"] for r in rows for e in ctx["enrolments"].get(r["group_id"], [])}
    by_measure: dict = {}
    for r in rows:
        p = r["progress"]
        if p["measure"] != "qualitative":
            total = by_measure.setdefault(p["measure"], {"moved": 0, "counted": 0, "steps": 0})
            for key in total:
                total[key] += p[key]
    for total in by_measure.values():
        total["summary"] = f"{total['moved']}/{total['counted']} moved ≥ 1 step"
    return {
        "groups": len(rows),
        "pupils": len(pupils),
        "enrolments": sum(r["group_size"] for r in rows),
        "sessions_planned": planned,
        "sessions_delivered": delivered,
        "fidelity_pct": fig.percent(delivered, planned),
        "minutes_delivered": sum(r["minutes_delivered"] for r in rows),
        "cost_pence": sum(r["cost_pence"] for r in rows),
        "progress": by_measure,
    }
