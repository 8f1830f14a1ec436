"""MIS exchange: the roster coming in (CTF XML or CSV).

This module holds the vocabulary both parsers share: one parsed row, the whole-file error and the
date reader. The parsers only turn bytes into rows; every rule lives in sync/mis/roster.py, so a
CTF and a CSV saying the same thing are judged the same way.
"""

import re
from dataclasses import dataclass, field
from datetime import date


class RosterFileError(Exception):
    """The file as a whole cannot be used (damaged, wrong school, missing columns): nothing is
    applied. The message is written for the person who uploaded it."""


class RosterFormatError(RosterFileError):
    """Neither a CTF (.xml) nor a CSV roster."""


@dataclass
class SenRecord:
    code: str  # raw, before legacy codes are mapped
    start: str
    end: str = ""


@dataclass
class RosterRow:
    """One pupil as the file states it. Text stays raw (stripped) so the rules can quote it back.

    `fields` holds only what the file carries: a CTF has no class or flags, so those are left
    alone. `sen` is None when the file says nothing about SEN (a CSV without SEN columns)."""

    row: int
    upn: str
    fields: dict[str, str]
    sen: list[SenRecord] | None = None
    needs: list[tuple[str, str]] | None = None  # (need type, rank) as written
    errors: list[str] = field(default_factory=list)


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
# Patterns rather than strptime: a roster has thousands of dates and strptime is slow.
DATE_PATTERNS = {
    "%Y-%m-%d": re.compile(r"(\d{4})-(\d{2})-(\d{2})"),
    "%d/%m/%Y": re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})"),
}


def read_date(text: str, formats: tuple[str, ...] = DATE_FORMATS) -> date | None:
    """The date, or None if `text` is not a real date in one of the accepted formats."""
    for fmt in formats:
        match = DATE_PATTERNS[fmt].fullmatch(text.strip())
        if match:
            parts = [int(part) for part in match.groups()]
            year, month, day = parts if fmt == "%Y-%m-%d" else parts[::-1]
            try:
                return date(year, month, day)
            except ValueError:
                return None
    return None
