"""Who was in a group on a day, and when the group ran: a session record must fit both, or it
would count a stranger's attendance, or a session that never happened, in the provision map."""
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from sqlalchemy import select

from server.models import Enrolment, Group
from server.models.bulk import among, lookup

# Groups overrun and start a little early (a missed week made up, a taster session), so a
# session up to two weeks either side of the planned run is believable; beyond that it is
# far more likely a wrong date or a wrong group.
RUN_MARGIN = timedelta(days=14)


@dataclass
class GroupRun:
    first_day: date
    last_day: date  # the planned last week's end
    enrolments: dict[int, list[tuple[date, date | None]]] = field(default_factory=dict)

    def enrolled_on(self, pupil_id: int, day: date) -> bool:
        return any(joined <= day and (left is None or day <= left)
                   for joined, left in self.enrolments.get(pupil_id, ()))


@lru_cache
def _runs_query(dialect: str):
    # Core, built once per dialect: every push with session records asks it.
    return (select(Group.id, Group.start_date, Group.weeks, Enrolment.pupil_id,
                   Enrolment.joined_on, Enrolment.left_on)
            .outerjoin(Enrolment, Enrolment.group_id == Group.id)
            .where(among(Group.id, "ids", dialect)))


def load_runs(session, group_ids: set[int]) -> dict[int, GroupRun]:
    """Each named group's run and enrolments, in one query for the whole batch."""
    if not group_ids:
        return {}
    runs: dict[int, GroupRun] = {}
    for row in lookup(session, _runs_query, {"ids": list(group_ids)}):
        run = runs.get(row.id)
        if run is None:
            run = runs[row.id] = GroupRun(row.start_date, row.start_date + timedelta(
                weeks=row.weeks, days=-1))
        if row.pupil_id is not None:
            run.enrolments.setdefault(row.pupil_id, []).append((row.joined_on, row.left_on))
    return runs


def session_problems(run: GroupRun | None, core: dict) -> dict:
    """Field messages for a session record that does not fit its group's run and roll."""
    if run is None:
        return {}  # the scope check has already said the group is not one of theirs
    day = date.fromisoformat(core["date"])
    if not run.first_day - RUN_MARGIN <= day <= run.last_day + RUN_MARGIN:
        return {"date": [f"This group runs from {_long(run.first_day)} to {_long(run.last_day)}; "
                         f"check the date or the group."]}
    strangers = {i: {"pupil_id": ["This pupil was not in the group on that day."]}
                 for i, row in enumerate(core["attendance"])
                 if not run.enrolled_on(row["pupil_id"], day)}
    return {"attendance": strangers} if strangers else {}


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
