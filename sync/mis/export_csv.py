"""SEN data out as CSVs for the MIS and the SENCO's own records: the SEN register, provision per
pupil, review dates and the latest pupil voice in words. UTF-8 with a byte-order mark, so
Excel reads names with accents; dates yyyy-mm-dd, as MIS imports want; money in pounds.

The SEN register uses the roster CSV's column names (sync/mis/ROSTER_CSV.md), so it can be
read back by our own importer. No safeguarding content is exported: voice points never carry
safeguarding-tagged answers, and no free-text answer leaves the app.
"""

import csv
import io
from datetime import date

from schemas.codes import NEED_TYPES, OUTCOMES, SEN_PROVISION
from schemas.measures import describe
from sync import provision_figures as fig
from sync.mis.export_data import ExportData


def csv_bytes(header: list[str], rows: list[list]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(["" if cell is None else cell for cell in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")


def iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def _pounds(pence: int | None) -> str:
    return "" if pence is None else f"{pence / 100:.2f}"


def name_key(pupil) -> tuple:
    return (pupil.surname.casefold(), pupil.forename.casefold(), pupil.upn)


def sen_register(data: ExportData) -> bytes:
    on_register = sorted((p for p in data.pupils if p.sen_provision in ("K", "E")), key=name_key)
    width = max([2] + [len(p.needs) for p in on_register])
    header = ["upn", "surname", "forename", "dob", "gender", "year_group", "class"]
    header += ["sen_provision", "sen_provision_words", "sen_start_date"]
    header += [f"need_{n}" for n in range(1, width + 1)] + ["primary_need_words"]
    rows = []
    for p in on_register:
        needs = [n.need_type for n in sorted(p.needs, key=lambda n: n.rank)]
        rows.append(
            [p.upn, p.surname, p.forename, iso(p.dob), p.gender, p.year_group]
            + [data.classes.get(p.class_id), p.sen_provision, SEN_PROVISION[p.sen_provision]]
            + [iso(p.current_provision.start_date)]
            + (needs + [""] * width)[:width]
            + [NEED_TYPES[needs[0]][0] if needs else ""]
        )
    return csv_bytes(header, rows)


def in_term(row: dict, data: ExportData) -> bool:
    _, first, last = data.term
    return row["joined_on"] <= last and (row["left_on"] is None or row["left_on"] >= first)


def _cost_per_pupil(row: dict, data: ExportData) -> int | None:
    """The provision map's cost per pupil to date: staff time delivered and resources, shared
    equally between the group's pupils."""
    total = fig.cost_pence(
        row["minutes_delivered"] or 0,
        row["hourly_staff_cost_pence"],
        row["ratio"],
        row["resource_cost_pence"],
    )
    return round(total / data.group_sizes[row["group_id"]])


def provision(data: ExportData) -> bytes:
    pupils = {p.id: p for p in data.pupils}
    header = ["upn", "surname", "forename", "intervention", "group", "joined_on", "left_on"]
    header += ["sessions_attended_this_term", "minutes_received_this_term", "cost_to_date_gbp"]
    header += ["entry", "exit", "outcome"]
    rows = []
    for row in data.enrolments:
        pupil = pupils.get(row["pupil_id"])
        if pupil is None or not in_term(row, data):
            continue
        marks = data.term_marks.get((row["group_id"], row["pupil_id"])) or [0] * 6
        outcome = [OUTCOMES.get(row["outcome_status"]), row["outcome"]]
        rows.append(
            [pupil.upn, pupil.surname, pupil.forename, row["intervention"], row["group"]]
            + [iso(row["joined_on"]), iso(row["left_on"]), marks[0] + marks[1], marks[3]]
            + [_pounds(_cost_per_pupil(row, data))]
            + [describe(row["measure_type"], row["entry_data"])]
            + [describe(row["measure_type"], row["exit_data"])]
            + [": ".join(part for part in outcome if part)]
        )
    return csv_bytes(header, rows)
