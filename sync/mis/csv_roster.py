"""Read a roster CSV (format in sync/mis/ROSTER_CSV.md) into roster rows.

MIS report writers and Excel differ in the details, so the reader is lenient about the wrapping
(BOM, CRLF, header case and spacing, extra columns, blank lines) and strict about the content,
which sync/mis/roster.py judges row by row.
"""

import csv
import io
import re

from sync.mis import RosterFileError, RosterRow, SenRecord

REQUIRED = ("upn", "forename", "surname", "dob", "gender", "year_group")
OPTIONAL = ("class", "pupil_premium", "eal", "looked_after")
NEED_COLUMN = re.compile(r"need_(\d+)$")


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise RosterFileError(
            "The file is not a text CSV (is it an Excel workbook?). Save it as "
            "CSV UTF-8 and upload that."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's plain "CSV" on Windows writes Windows-1252; names with accents still come through.
        return data.decode("cp1252", errors="replace")


def _header_name(cell: str) -> str:
    return re.sub(r"[\s\-]+", "_", cell.strip().lower())


def _columns(header: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        columns.setdefault(_header_name(cell), index)
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise RosterFileError(
            "The CSV is missing required column(s): "
            + ", ".join(missing)
            + ". See ROSTER_CSV.md for the column names."
        )
    return columns


def _need_columns(columns: dict[str, int]) -> list[tuple[int, int]]:
    """(rank, column index) for need_1, need_2 ... in rank order."""
    ranks = [
        (int(m.group(1)), index)
        for name, index in columns.items()
        if (m := NEED_COLUMN.match(name))
    ]
    return sorted(ranks)


def _row(line: int, cells: list[str], columns: dict[str, int], needs: list) -> RosterRow:
    def cell(name: str) -> str:
        index = columns[name]
        return cells[index].strip() if index < len(cells) else ""

    fields = {name: cell(name) for name in REQUIRED[1:] + OPTIONAL if name in columns}
    row = RosterRow(row=line, upn=cell("upn").upper(), fields=fields)
    if "sen_provision" in columns:
        code = cell("sen_provision")
        start = cell("sen_start_date") if "sen_start_date" in columns else ""
        row.sen = [SenRecord(code=code, start=start)] if code else []
        row.needs = [
            (c, str(rank))
            for rank, index in needs
            if (c := cells[index].strip() if index < len(cells) else "")
        ]
    return row


def parse_csv(data: bytes) -> list[RosterRow]:
    """One row per non-blank line, numbered by its line in the file (the header is line 1)."""
    reader = csv.reader(io.StringIO(_decode(data), newline=""))
    try:
        header = next(reader, None)
        if not header:
            raise RosterFileError("The CSV is empty: it has no header row.")
        columns = _columns(header)
        needs = _need_columns(columns)
        return [
            _row(reader.line_num, cells, columns, needs)
            for cells in reader
            if any(c.strip() for c in cells)
        ]
    except csv.Error as exc:
        raise RosterFileError(
            f"The CSV cannot be read near line {reader.line_num}: {exc}."
        ) from None
