"""Roster in (DESIGN §7): upsert pupils by UPN from a CTF or CSV, flag leavers, report rejects.

The caller owns the transaction: this flushes but never commits, so the API and the CLI commit
the valid rows, the rejection report and the import log together, or roll all of it back.
Writes happen only where a value really differs, so a re-import of the same file is a no-op
that leaves no trace in the audit log beyond the import record itself.
"""

import hashlib
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, subqueryload

from schemas.sen import today_in_london
from server.models import Pupil, RosterImport, School, SchoolClass
from sync.mis import DATE_FORMATS, RosterFileError, RosterFormatError, RosterRow
from sync.mis.checks import check_rows
from sync.mis.csv_roster import parse_csv
from sync.mis.ctf import DATE_FORMATS as CTF_DATE_FORMATS
from sync.mis.ctf import parse_ctf
from sync.mis.ownership import RosterOwners
from sync.mis.rules import CleanRow
from sync.mis.sen_write import write_sen


def detect_format(filename: str, data: bytes) -> str:
    """ "ctf" or "csv": by extension, else by a first look at the content."""
    name = (filename or "").lower()
    if name.endswith(".xml"):
        return "ctf"
    if name.endswith(".csv"):
        return "csv"
    if not name.rpartition(".")[1] and data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return "ctf"
    raise RosterFormatError("Upload a CTF (.xml) or a roster CSV (.csv) file.")


def _parse(school: School, file_format: str, data: bytes) -> list[RosterRow]:
    if file_format == "csv":
        rows = parse_csv(data)
    else:
        source, rows = parse_ctf(data)
        if source and source != school.dfe_number:
            raise RosterFileError(
                f"This CTF was written by school {source}, not by this school "
                f"({school.dfe_number}). Nothing was imported."
            )
    if not rows:
        raise RosterFileError(
            "The file lists no pupils, so nothing was imported (an empty "
            "roster would mark every pupil as a leaver)."
        )
    return rows


def _existing(session: Session, school_id: int) -> tuple[dict, dict]:
    """Every pupil of the school (on roll or not) by UPN, and classes by folded name: two
    queries plus two subquery loads, however long the roster."""
    pupils = session.scalars(
        select(Pupil)
        .where(Pupil.school_id == school_id)
        # A subquery, not selectin's IN lists of 500 ids: psycopg converts each of those
        # long parameter lists in Python, a third of a second for 1,500 pupils.
        .options(subqueryload(Pupil.provisions), subqueryload(Pupil.needs))
    ).all()
    classes = session.scalars(select(SchoolClass).where(SchoolClass.school_id == school_id)).all()
    return {p.upn: p for p in pupils}, {c.name.casefold(): c for c in classes}


def _add_classes(session: Session, school_id: int, rows: list[CleanRow], classes: dict) -> int:
    """MIS rosters are the source of truth for classes: create the ones not seen before."""
    new = {}
    for row in rows:
        if row.class_name and row.class_name.casefold() not in classes:
            new.setdefault(
                row.class_name.casefold(),
                SchoolClass(
                    school_id=school_id, name=row.class_name, year_group=row.values["year_group"]
                ),
            )
    if new:
        session.add_all(new.values())
        session.flush()
        classes.update(new)
    return len(new)


def _set(obj, values: dict) -> bool:
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    return bool(changed)


def _apply(session, row: CleanRow, pupil, classes: dict, owners: RosterOwners, today) -> str:
    values = dict(row.values)
    if row.has_class:
        found = classes.get(row.class_name.casefold()) if row.class_name else None
        values["class_id"] = found.id if found else None
    if pupil is None:
        pupil = Pupil(school_id=owners.school_id, upn=row.upn, **values)
        session.add(pupil)
    changed = _set(pupil, values) if pupil.id else True
    if row.needs is not None:
        changed = write_sen(pupil, row, owners, today) | changed
    if not pupil.id:
        return "created"
    if not pupil.on_roll:
        pupil.on_roll, pupil.left_on = True, None
        return "rejoined"
    return "updated" if changed else "unchanged"


def _flag_leavers(pupils: dict, in_file: set[str], today: date) -> int:
    leavers = [p for upn, p in pupils.items() if p.on_roll and upn not in in_file]
    for pupil in leavers:
        pupil.on_roll, pupil.left_on = False, today
    return len(leavers)


def import_roster(
    session: Session,
    school_id: int,
    data: bytes,
    filename: str,
    *,
    strict: bool = False,
    full: bool = True,
) -> dict:
    """Apply a roster file to one school and log it. `full` = the file is the whole roll, so
    pupils missing from it have left; `strict` = any rejected row means nothing is applied.
    Raises RosterFileError when the file as a whole cannot be used."""
    school = session.get(School, school_id)
    file_format = detect_format(filename, data)
    rows = _parse(school, file_format, data)
    today = today_in_london()
    pupils, classes = _existing(session, school_id)
    formats = CTF_DATE_FORMATS if file_format == "ctf" else DATE_FORMATS
    owners = RosterOwners(session, school_id)
    clean_rows, rejected, notes = check_rows(rows, formats, pupils, today, owners.app_owns)
    counts = dict.fromkeys(("created", "updated", "unchanged", "left", "rejoined"), 0)
    counts.update(rows=len(rows), rejected=len(rejected), classes_created=0)
    status = "rejected" if strict and rejected else "partial" if rejected else "applied"
    if status != "rejected":
        counts["classes_created"] = _add_classes(session, school_id, clean_rows, classes)
        for row in clean_rows:
            counts[_apply(session, row, pupils.get(row.upn), classes, owners, today)] += 1
        if full:
            counts["left"] = _flag_leavers(pupils, {row.upn for row in rows}, today)
    log = RosterImport(
        school_id=school_id,
        filename=(filename or "")[-255:],
        file_format=file_format,
        sha256=hashlib.sha256(data).hexdigest(),
        status=status,
        counts=counts,
        rejected=rejected,
        actor_id=(session.info.get("actor") or {}).get("actor_id"),
    )
    session.add(log)
    session.flush()
    return {
        "id": log.id,
        "status": status,
        "counts": counts,
        "rejected": rejected,
        "notes": notes,
        "format": file_format,
    }
