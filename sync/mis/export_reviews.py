"""Two more CSVs of the SEN export: the review dates coming up for each pupil, and each pupil's
latest view in their own chosen words (see sync/mis/export_csv.py for the file conventions)."""

from datetime import date

from sync.mis.export_csv import csv_bytes, in_term, iso, name_key
from sync.mis.export_data import ExportData

TREND_POINTS = 10  # on the 0-100 voice score: smaller moves read as "about the same"


def _anniversary(start: date, today: date) -> date:
    """The EHC plan's next anniversary on or after today (29 February falls on the 28th)."""
    for year in (today.year, today.year + 1):
        try:
            day = start.replace(year=year)
        except ValueError:
            day = date(year, 2, 28)
        if day >= today:
            return day
    raise AssertionError("unreachable")


def _ehcp_review(pupil, today: date) -> date | None:
    plan = pupil.current_provision
    if plan is None or plan.code != "E":
        return None
    return pupil.ehcp_annual_review_due or _anniversary(plan.start_date, today)


def review_dates(data: ExportData) -> bytes:
    pupils = {p.id: p for p in data.pupils}
    found = []
    for pupil in data.pupils:
        if due := _ehcp_review(pupil, data.today):
            found.append((due, pupil, "EHCP annual review", "EHC plan"))
    for row in data.enrolments:
        pupil = pupils.get(row["pupil_id"])
        if pupil is None or not in_term(row, data) or row["left_on"] is not None:
            continue
        if row["review_date"]:
            found.append((row["review_date"], pupil, "Intervention review", row["group"]))
        if row["target"] and row["target_review_date"]:
            found.append((row["target_review_date"], pupil, "Target review", row["group"]))
    found.sort(key=lambda f: (f[0], name_key(f[1]), f[2], f[3]))
    return csv_bytes(
        ["upn", "surname", "forename", "review", "due_date", "about"],
        [[p.upn, p.surname, p.forename, what, iso(due), about] for due, p, what, about in found],
    )


def _trend(points: list[dict], first_day: date) -> str:
    """This term's views against the ones before, in words."""
    now = [p["score"] for p in points if p["date"] >= first_day]
    before = [p["score"] for p in points if p["date"] < first_day]
    if not now:
        return "No views this term"
    if not before:
        return "First views recorded this term"
    change = sum(now) / len(now) - sum(before) / len(before)
    if change >= TREND_POINTS:
        return "Happier than before this term"
    if change <= -TREND_POINTS:
        return "Less happy than before this term"
    return "About the same as before this term"


def pupil_voice(data: ExportData) -> bytes:
    first_day = data.term[1]
    rows = []
    for pupil in sorted(data.pupils, key=name_key):
        points = data.voice.get(pupil.id)
        if not points:
            continue
        latest = points[-1]
        this_term = sum(1 for p in points if p["date"] >= first_day)
        rows.append(
            [pupil.upn, pupil.surname, pupil.forename, iso(latest["date"])]
            + [latest["face"] or "", this_term, _trend(points, first_day)]
        )
    header = ["upn", "surname", "forename", "latest_view_on", "latest_view"]
    return csv_bytes(header + ["views_this_term", "trend"], rows)
