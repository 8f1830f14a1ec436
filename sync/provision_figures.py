"""The computed columns of a provision map row, as pure functions of already-loaded data.

Definitions (each is what the school sees, so each is spelt out):

- Sessions planned to date: the block runs in 7-day weeks from its start date. With no Term
  rows every week is a teaching week; with Term rows a week that overlaps no term is a holiday
  and does not use up one of the block's `weeks`. Each teaching week that has ended by the
  as-of date plans `sessions_per_week`; the teaching week the as-of date falls in plans
  floor(sessions_per_week x days elapsed (incl. today) / 7). Nothing is planned after the
  block's last teaching week. Weeks after the last term the school has entered count as
  teaching weeks (next term's dates are often entered late).
  A group set up with its weekdays (e.g. Monday, Wednesday, Friday) plans exactly those days of
  its teaching weeks up to and including the as-of day, leaving out days outside the terms
  (the Monday and Tuesday before a term starts on a Wednesday), so a Thursday afternoon never
  shows 103% because the week's share was counted in calendar days.
- Fidelity: sessions delivered / sessions planned to date, as a %.
- Attendance: (present + late) / (present + late + absent) marks, as a %.
- Cost: staff hours delivered x hourly staff cost x staff per session (the first number of
  the ratio, so 2:8 costs two people) + resource cost. In pence, rounded to the penny.
- Cost per pupil: cost / pupils enrolled. Cost per step: cost / steps moved (see
  schemas/measures.py), counting only rises; None when nobody has moved yet.
"""

from datetime import date, timedelta

from schemas.measures import steps_moved

MAX_BLOCK_WEEKS = 104  # guards the holiday-skipping walk against terms that never come


def teaching_weeks(start: date, weeks: int, terms: list[tuple[date, date]]) -> list[date]:
    """The first day of each of the block's teaching weeks."""
    if not any(t_end >= start for _, t_end in terms):
        terms = []  # the school's terms stop before the block: fall back to calendar weeks
    # Past the last term entered, every week counts: next term's dates are not in yet.
    known = max((t_end for _, t_end in terms), default=None)
    found, first = [], start
    for _ in range(MAX_BLOCK_WEEKS):
        if len(found) == weeks:
            break
        last = first + timedelta(days=6)
        if (
            not terms
            or first > known
            or any(t_start <= last and first <= t_end for t_start, t_end in terms)
        ):
            found.append(first)
        first += timedelta(days=7)
    return found


WEEKDAY_NUMBERS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4}


def sessions_planned(
    start: date, per_week: int, weeks: int, terms: list, as_of: date, days: list | None = None
) -> int:
    if days:
        return _planned_days(start, weeks, terms, as_of, {WEEKDAY_NUMBERS[d] for d in days})
    planned = 0
    for first in teaching_weeks(start, weeks, terms):
        days = (as_of - first).days + 1
        if days <= 0:
            break
        planned += per_week if days >= 7 else per_week * days // 7
    return planned


def _planned_days(start: date, weeks: int, terms: list, as_of: date, weekdays: set) -> int:
    if not any(t_end >= start for _, t_end in terms):
        terms = []  # as teaching_weeks: terms that stop before the block say nothing about it
    known = max((t_end for _, t_end in terms), default=None)
    in_term = (
        (lambda day: day > known or any(a <= day <= b for a, b in terms))
        if terms
        else (lambda day: True)
    )
    return sum(
        1
        for first in teaching_weeks(start, weeks, terms)
        for offset in range(7)
        if (day := first + timedelta(days=offset)) <= as_of
        and day.weekday() in weekdays
        and in_term(day)
    )


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def staff_per_session(ratio: str) -> int:
    return max(1, int(ratio.split(":")[0]))


def cost_pence(minutes: int, hourly_pence: int, ratio: str, resource_pence: int) -> int:
    return round(minutes * hourly_pence * staff_per_session(ratio) / 60) + resource_pence


def frequency_text(per_week: int, minutes: int, weeks: int, staff: list[dict], ratio: str) -> str:
    """ "3 × 30 min/week for 10 weeks, Ms X (TA), ratio 1:4" """
    who = ", ".join(f"{s['name']} ({s['job_title'] or s['role'].upper()})" for s in staff)
    return (
        f"{per_week} × {minutes} min/week for {weeks} weeks"
        + (f", {who}" if who else "")
        + f", ratio {ratio}"
    )


def progress(measure: str, enrolments: list[dict]) -> dict:
    """How many of the group's pupils moved at least one step, and the total steps risen."""
    steps = [
        s
        for e in enrolments
        if (s := steps_moved(measure, e["entry_data"], e["exit_data"])) is not None
    ]
    moved = sum(1 for s in steps if s >= 1)
    if measure == "qualitative":
        summary = "Qualitative: see outcomes"
    elif not steps:
        summary = "No exit data yet"
    else:
        summary = f"{moved}/{len(steps)} moved ≥ 1 step"
    return {
        "measure": measure,
        "counted": len(steps),
        "moved": moved,
        "steps": sum(s for s in steps if s > 0),
        "summary": summary,
    }


def attendance(stats: dict | None) -> dict:
    s = stats or {}
    present, late, absent = (
        s.get(k, 0) for k in ("sessions_present", "sessions_late", "sessions_absent")
    )
    engaged = s.get("engagement_count", 0)
    return {
        "sessions_present": present,
        "sessions_late": late,
        "sessions_absent": absent,
        "attendance_pct": percent(present + late, present + late + absent),
        "minutes_received": s.get("minutes_received", 0),
        "engagement_mean": round(s["engagement_total"] / engaged, 1) if engaged else None,
    }


def money(group: dict, stats: dict | None, pupils: int, steps: int) -> dict:
    minutes = (stats or {}).get("minutes_delivered", 0)
    total = cost_pence(
        minutes, group["hourly_staff_cost_pence"], group["ratio"], group["resource_cost_pence"]
    )
    return {
        "staff_hours": round(minutes * staff_per_session(group["ratio"]) / 60, 2),
        "cost_pence": total,
        "cost_per_pupil_pence": round(total / pupils) if pupils else None,
        "cost_per_step_pence": round(total / steps) if steps else None,
    }
