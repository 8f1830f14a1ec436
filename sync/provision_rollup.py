"""The class -> whole-school roll-up of the provision map (DESIGN §6: "each class map rolls up
into the whole-school map"): per class, the pupils in provision, their attendance and where
each enrolment stands from entry to exit; the school line adds the classes up the same way.

Every enrolment lands in exactly one progress bucket, so the buckets add up to the enrolments:
- moved: rose at least one step (schemas/measures.py says what a step is)
- no_step: entry and exit measured, but less than one step up (or a fall)
- not_counted: exit recorded as a note (a qualitative measure has no distance)
- awaiting_exit: no exit data yet
Only the pupils the map shows are counted (a teacher's own pupils; everyone for the SENCO, the
admin and, as numbers only, a viewer).
"""

from schemas.codes import YEAR_GROUPS
from schemas.measures import steps_moved
from sync import provision_figures as fig

BUCKETS = ("moved", "no_step", "not_counted", "awaiting_exit")
NO_CLASS = {"name": "No class", "year_group": None}


def _blank() -> dict:
    return {
        "pupils": set(),
        "enrolments": 0,
        "there": 0,
        "absent": 0,
        "minutes_received": 0,
        **{bucket: 0 for bucket in BUCKETS},
    }


def _bucket(measure: str, enrolment: dict) -> str:
    steps = steps_moved(measure, enrolment["entry_data"], enrolment["exit_data"])
    if steps is not None:
        return "moved" if steps >= 1 else "no_step"
    return "not_counted" if enrolment["exit_data"] else "awaiting_exit"


def _add(total: dict, pupil_id: int, marks: dict, bucket: str) -> None:
    total["pupils"].add(pupil_id)
    total["enrolments"] += 1
    total["there"] += marks["sessions_present"] + marks["sessions_late"]
    total["absent"] += marks["sessions_absent"]
    total["minutes_received"] += marks["minutes_received"]
    total[bucket] += 1


def _finish(total: dict) -> dict:
    there, absent = total.pop("there"), total.pop("absent")
    return total | {
        "pupils": len(total["pupils"]),
        "attendance_pct": fig.percent(there, there + absent),
    }


def _counted(enrolment: dict, ctx: dict) -> bool:
    """The map's pupils; a viewer reads no pupil rows but is counted every pupil the view's
    class or year filter names: these are numbers only."""
    if not ctx["aggregate_only"]:
        return ctx["shown"] is None or enrolment["pupil_id"] in ctx["shown"]
    wanted = ctx.get("pupil_filters", {})
    return all(enrolment[key] == value for key, value in wanted.items())


def by_class(rows: list[dict], ctx: dict, classes: dict) -> dict:
    """{"classes": [one line per class with pupils in provision, youngest first], "school": the
    same figures for every pupil the map shows}."""
    per_class: dict = {}
    school = _blank()
    for row in rows:
        measure = row["intervention"]["measure_type"]
        for e in ctx["enrolments"].get(row["group_id"], []):
            if not _counted(e, ctx):
                continue
            marks = fig.attendance(ctx["stats"][1].get((row["group_id"], e["pupil_id"])))
            bucket = _bucket(measure, e)
            _add(per_class.setdefault(e["class_id"], _blank()), e["pupil_id"], marks, bucket)
            _add(school, e["pupil_id"], marks, bucket)
    lines = [
        {"class_id": class_id, **classes.get(class_id, NO_CLASS), **_finish(total)}
        for class_id, total in per_class.items()
    ]
    order = {year: n for n, year in enumerate(YEAR_GROUPS)}
    lines.sort(key=lambda c: (order.get(c["year_group"], len(order)), c["name"]))
    return {"classes": lines, "school": _finish(school)}
