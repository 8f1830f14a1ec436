"""Who was in a group on a day, and when the group ran: a session record must fit both, or it
would count a stranger's attendance, or a session that never happened, in the provision map."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from sqlalchemy import String, func, select, type_coerce

from schemas.provision import SESSION_RUN_MARGIN
from server.models import Enrolment, Group
from server.models.bulk import among, lookup

RUN_MARGIN = SESSION_RUN_MARGIN


@dataclass
class GroupRun:
    """Days as ISO text ("2026-11-02"), which orders as the days do: a push checks hundreds of
    attendance rows, and turning each stored date into a date object cost a tenth of a push
    (bench/push_cost.py)."""

    first_day: date
    last_day: date  # the planned last week's end
    earliest: str = ""  # first_day less the margin
    latest: str = ""  # last_day plus the margin
    enrolments: dict[int, list[tuple[str, str | None]]] = field(default_factory=dict)

    def __post_init__(self):
        self.earliest = (self.first_day - RUN_MARGIN).isoformat()
        self.latest = (self.last_day + RUN_MARGIN).isoformat()


def _iso_text(column, dialect: str):
    """SQLite keeps dates as ISO text already (read as they are, unconverted); PostgreSQL is
    told the format, whatever the server's DateStyle."""
    if dialect == "postgresql":
        return func.to_char(column, "YYYY-MM-DD")
    return type_coerce(column, String)


@lru_cache
def _runs_query(dialect: str):
    # Core, built once per dialect: every push with session records asks it.
    return (
        select(
            Group.id,
            _iso_text(Group.start_date, dialect),
            Group.weeks,
            Enrolment.pupil_id,
            _iso_text(Enrolment.joined_on, dialect),
            _iso_text(Enrolment.left_on, dialect),
        )
        .outerjoin(Enrolment, Enrolment.group_id == Group.id)
        .where(among(Group.id, "ids", dialect))
    )


def load_runs(session, group_ids: set[int]) -> dict[int, GroupRun]:
    """Each named group's run and enrolments, in one query for the whole batch."""
    if not group_ids:
        return {}
    runs: dict[int, GroupRun] = {}
    result = lookup(session, _runs_query, {"ids": list(group_ids)})
    # Plain tuples from the driver: no column here needs converting, and a Row object for
    # each of a batch's few hundred enrolments cost more than the check itself.
    rows = result.cursor.fetchall()
    result.close()
    for group_id, start, weeks, pupil_id, joined, left in rows:
        run = runs.get(group_id)
        if run is None:
            start = date.fromisoformat(start)
            run = runs[group_id] = GroupRun(start, start + timedelta(weeks=weeks, days=-1))
        if pupil_id is not None:
            run.enrolments.setdefault(pupil_id, []).append((joined, left))
    return runs


def session_problems(run: GroupRun | None, core: dict) -> dict:
    """Field messages for a session record that does not fit its group's run and roll."""
    if run is None:
        return {}  # the scope check has already said the group is not one of theirs
    day = core["date"]
    if not run.earliest <= day <= run.latest:
        return {
            "date": [
                f"This group runs from {_long(run.first_day)} to {_long(run.last_day)}; "
                f"check the date or the group."
            ]
        }
    strangers = {}
    for i, row in enumerate(core["attendance"]):
        for joined, left in run.enrolments.get(row["pupil_id"], ()):
            if joined <= day and (left is None or day <= left):
                break
        else:
            strangers[i] = {"pupil_id": ["This pupil was not in the group on that day."]}
    return {"attendance": strangers} if strangers else {}


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
