"""A whole roster's rows judged together: each row's own rules (sync/mis/rules.py), then what
only the file as a whole shows, such as a UPN on two rows, or a change that would rewrite the
pupil's SEN history backwards."""

from collections import defaultdict
from dataclasses import asdict
from datetime import date

from server.models import Pupil
from sync.mis import RosterRow
from sync.mis.rules import CleanRow, check_row


def _history_error(clean: CleanRow, pupil: Pupil | None, app_owned) -> str | None:
    """Closing the open provision at a start date before it began would corrupt the history.
    A status the app owns is not written, so the file's dates cannot harm it."""
    if pupil is not None and app_owned(pupil, "sen_provision"):
        return None
    current = pupil.current_provision if pupil else None
    if clean.needs is None or current is None or current.code == clean.sen_code:
        return None
    if clean.sen_start and clean.sen_start < current.start_date:
        return (
            f"The file's SEN provision {clean.sen_code} starts {clean.sen_start.isoformat()}, "
            f"before the open {current.code} provision began "
            f"({current.start_date.isoformat()}). Correct the start date in the MIS."
        )
    return None


def _same(row: RosterRow) -> tuple:
    """What a row says, without where it sits in the file."""
    return (row.fields, row.sen and [asdict(s) for s in row.sen], row.needs)


def _repeats(rows: list[RosterRow]) -> tuple[dict, dict]:
    """UPNs on more than one row: those whose rows all agree (import the first, note the
    others) and those whose rows differ (refuse them all: it is not clear which is right)."""
    by_upn = defaultdict(list)
    for row in rows:
        if row.upn:
            by_upn[row.upn].append(row)
    agreeing, clashing = {}, {}
    for upn, found in by_upn.items():
        if len(found) > 1:
            first = _same(found[0])
            same = all(_same(other) == first for other in found[1:])
            (agreeing if same else clashing)[upn] = [row.row for row in found]
    return agreeing, clashing


def _duplicates(skipped: list[RosterRow], agreeing: dict, applied: set) -> tuple[list, list]:
    """Later copies of an agreeing UPN: noted if the first copy went in, else refused with it."""
    notes, rejected = [], []
    for row in skipped:
        lines, first = agreeing[row.upn], agreeing[row.upn][0]
        if row.upn in applied:
            notes.append(
                {
                    "row": row.row,
                    "upn": row.upn,
                    "note": f"UPN {row.upn} is on rows {', '.join(map(str, lines))} with the "
                    f"same details; it was imported once, from row {first}.",
                }
            )
        else:
            reason = f"The same details as row {first}, which was refused (see row {first})."
            rejected.append({"row": row.row, "upn": row.upn, "errors": [reason]})
    return notes, rejected


def check_rows(rows: list[RosterRow], formats, pupils: dict, today: date, app_owned) -> tuple:
    """(clean rows to apply, rejected rows with their reasons, notes on rows applied).
    `app_owned(pupil, field)` says whether a SENCO owns that field (sync/mis/ownership.py)."""
    agreeing, clashing = _repeats(rows)
    clean_rows, rejected, notes, skipped = [], [], [], []
    for row in rows:
        if row.upn in agreeing and row.row != agreeing[row.upn][0]:
            skipped.append(row)
            continue
        clean, errors = check_row(row, formats, today)
        if row.upn in clashing:
            lines = clashing[row.upn]
            errors.append(
                f"UPN {row.upn} appears on {len(lines)} rows ({', '.join(map(str, lines))}) "
                "with different details; none of them was imported, as it is not clear which "
                "is right."
            )
        elif clean and (message := _history_error(clean, pupils.get(row.upn), app_owned)):
            errors.append(message)
        if errors:
            rejected.append({"row": row.row, "upn": row.upn, "errors": errors})
        else:
            clean_rows.append(clean)
            notes += [{"row": row.row, "upn": row.upn, "note": n} for n in clean.notes]
    more_notes, more_rejected = _duplicates(skipped, agreeing, {c.upn for c in clean_rows})
    rejected = sorted(rejected + more_rejected, key=lambda r: r["row"])
    return clean_rows, rejected, sorted(notes + more_notes, key=lambda n: n["row"])
