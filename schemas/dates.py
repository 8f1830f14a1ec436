"""Bounds on the dates evidence carries. A device with its clock set to 1970, or a typo of a
year, would otherwise file a record where no report ever looks for it. A day of slack ahead
covers devices whose clocks run a little fast and a school day just begun elsewhere.
"""

import time
from datetime import UTC, date, datetime, timedelta

from marshmallow import ValidationError, fields, validate

from schemas.sen import today_in_london

EARLIEST_ORDINAL = date(2000, 1, 1).toordinal()
EARLIEST_STAMP = datetime(2000, 1, 1, tzinfo=UTC).timestamp()
UNIX_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
SLACK = timedelta(days=1)
TOO_EARLY = "Must not be before 1 January 2000."
TOO_LATE = "Must not be more than a day in the future."
IN_FUTURE = "Must not be in the future."


def day_problem(day: date) -> str | None:
    """A school day: Europe/London's calendar, where the school is. Every pushed entry is
    checked, so London's date (0.4 µs) is looked up only for a day after tomorrow in UTC:
    London is never behind UTC, so anything earlier is fine."""
    days = day.toordinal()
    if days < EARLIEST_ORDINAL:
        return TOO_EARLY
    if days <= time.time() // 86400 + UNIX_EPOCH_ORDINAL + 1:
        return None
    return TOO_LATE if day > today_in_london() + SLACK else None


def time_problem(moment: datetime) -> str | None:
    """An aware moment, against the server's clock."""
    stamp = moment.timestamp()
    if stamp < EARLIEST_STAMP:
        return TOO_EARLY
    return TOO_LATE if stamp > time.time() + SLACK.total_seconds() else None


class _Check(validate.Validator):
    def __init__(self, problem):
        self.problem = problem

    def __call__(self, value):
        message = self.problem(value)
        if message:
            raise ValidationError(message)
        return value


SCHOOL_DAY = _Check(day_problem)
RECENT_TIME = _Check(time_problem)
NOT_FUTURE = _Check(lambda day: IN_FUTURE if day > today_in_london() else None)


class Moment(fields.AwareDateTime):
    """A moment on the wire: ISO 8601 with its offset, and always UTC ("+00:00") going out.

    Coming in, a time without an offset is refused: "14:30" alone is a different moment in
    summer and in winter. Going out, a stored moment without a zone is UTC (every database
    value is, server/models/base.py), and one in another zone is moved to UTC, so a client
    reads one style everywhere and never has to guess."""

    def __init__(self, **kwargs):
        super().__init__(format="iso", default_timezone=None, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).astimezone(UTC)

    def _serialize(self, value, attr, obj, **kwargs):
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        if isinstance(value, datetime):
            value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return super()._serialize(value, attr, obj, **kwargs)
