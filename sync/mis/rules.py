"""The rules one roster row must pass, whichever file it came from, with reasons in plain words.

UPN and SEN-record rules are the shared ones in schemas/sen.py, so the import and the API can
never disagree about what a valid pupil record is.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from schemas.codes import LEGACY_SEN_PROVISION, NEED_TYPES, SEN_PROVISION, YEAR_GROUPS
from schemas.sen import provision_code, sen_record_errors, upn_error
from sync.mis import RosterRow, read_date

GENDERS = {"M": "M", "MALE": "M", "F": "F", "FEMALE": "F", "U": "U", "UNKNOWN": "U"}
FLAGS = {
    "Y": True,
    "YES": True,
    "TRUE": True,
    "1": True,
    "N": False,
    "NO": False,
    "FALSE": False,
    "0": False,
    "": False,
}
FLAG_COLUMNS = ("pupil_premium", "eal", "looked_after")
SHOWN_FORMATS = {"%Y-%m-%d": "yyyy-mm-dd", "%d/%m/%Y": "dd/mm/yyyy"}
YEAR_PREFIX = re.compile(r"^(YEAR|YR|Y)\s*(?=\d)")
LEGACY_PROVISION_WORDS = {"S": "a statement", "A": "School Action", "P": "School Action Plus"}
# Need types the census no longer collects, with what replaced them, so the data manager knows
# what to change in the MIS rather than just "unknown code".
LEGACY_NEED_TYPES = {
    "BESD": (
        "SEMH",
        "behaviour, emotional and social difficulty was replaced by SEMH (social, emotional "
        "and mental health) in the 2014 SEND Code of Practice",
    ),
}


@dataclass
class CleanRow:
    """A row that passed: typed values ready to write. `needs` is None when the file is silent
    about SEN; `class_name` is only meaningful when `has_class`."""

    row: int
    upn: str
    values: dict
    has_class: bool
    class_name: str | None
    sen_code: str = "N"
    sen_start: date | None = None
    needs: list[tuple[str, int]] | None = None
    history: list[dict] = field(default_factory=list)  # every SEN record, closed ones too
    notes: list[str] = field(default_factory=list)  # applied, but worth telling the user


def _date(label: str, text: str, formats, errors: list[str], required=True) -> date | None:
    if not text:
        if required:
            errors.append(f"The {label} is missing.")
        return None
    value = read_date(text, formats)
    if value is None:
        shown = " or ".join(SHOWN_FORMATS[f] for f in formats)
        errors.append(f"The {label} {text!r} is not a date; use {shown}.")
    return value


def _pupil_values(raw: dict, formats, today: date, errors: list[str]) -> dict:
    values = {}
    for name, label in (("forename", "forename"), ("surname", "surname")):
        if not raw[name]:
            errors.append(f"The {label} is missing.")
        elif len(raw[name]) > 100:
            errors.append(f"The {label} is longer than 100 characters.")
        values[name] = raw[name]
    values["dob"] = _date("date of birth", raw["dob"], formats, errors)
    if values["dob"] and values["dob"] > today:
        errors.append(f"The date of birth {raw['dob']!r} is in the future.")
    values["gender"] = GENDERS.get(raw["gender"].upper())
    if values["gender"] is None:
        errors.append(f"The gender {raw['gender']!r} is not known; use M, F or U.")
    year = YEAR_PREFIX.sub("", raw["year_group"].upper())
    values["year_group"] = year
    if year not in YEAR_GROUPS:
        errors.append(
            f"The year group {raw['year_group']!r} is not known; use one of "
            f"{', '.join(YEAR_GROUPS)}."
        )
    for name in FLAG_COLUMNS:
        if name in raw:
            values[name] = FLAGS.get(raw[name].upper())
            if values[name] is None:
                errors.append(f"{name} is {raw[name]!r}; use Y or N.")
    return values


def _legacy_note(raw: str, code: str) -> str:
    old = raw.strip().upper()
    return (
        f"SEN provision code {old} ({LEGACY_PROVISION_WORDS[old]}) is no longer used; it was "
        f"read as {code} ({SEN_PROVISION[code]}). Update it in the MIS."
    )


def _need_errors(needs: list[dict]) -> list[str]:
    """Say which current code replaced a legacy one; other unknown codes are reported by the
    shared rules."""
    return [
        f"Need type {n['need_type']} is no longer a census code: "
        f"{LEGACY_NEED_TYPES[n['need_type']][1]}. Change it in the MIS."
        for n in needs
        if n["need_type"] in LEGACY_NEED_TYPES and n["need_type"] not in NEED_TYPES
    ]


def _sen(row: RosterRow, formats, errors: list[str], notes: list[str]) -> tuple[list, list]:
    history = []
    for record in row.sen:
        code = provision_code(record.code)
        if code is None:
            errors.append(
                f"The SEN provision code {record.code!r} is not known; use N, K or E "
                "(legacy S, A and P are mapped)."
            )
        elif record.code.strip().upper() in LEGACY_SEN_PROVISION:
            notes.append(_legacy_note(record.code, code))
        start = _date("SEN start date", record.start, formats, errors, required=code in ("K", "E"))
        end = _date("SEN end date", record.end, formats, errors, required=False)
        history.append({"code": code, "start_date": start, "end_date": end})
    needs = []
    for need_type, rank in row.needs:
        if not rank.isdigit():
            errors.append(f"The rank {rank!r} of need {need_type!r} is not a whole number.")
            continue
        needs.append({"need_type": need_type.upper(), "rank": int(rank)})
    errors.extend(_need_errors(needs))
    for messages in sen_record_errors(history, needs).values():
        errors.extend(messages)
    return history, needs


def check_row(row: RosterRow, formats, today: date) -> tuple[CleanRow | None, list[str]]:
    """The clean row, or None and every reason it was refused."""
    errors = list(row.errors)
    if not row.upn:
        errors.append("The UPN is missing.")
    elif message := upn_error(row.upn):
        errors.append(message)
    values = _pupil_values(row.fields, formats, today, errors)
    class_name = row.fields.get("class") or None
    if class_name and len(class_name) > 50:
        errors.append("The class name is longer than 50 characters.")
    clean = CleanRow(row.row, row.upn, values, "class" in row.fields, class_name)
    if row.sen is not None:
        history, needs = _sen(row, formats, errors, clean.notes)
        current = [h for h in history if h["end_date"] is None]
        if len(current) == 1:
            clean.sen_code, clean.sen_start = current[0]["code"], current[0]["start_date"]
        clean.needs = sorted(((n["need_type"], n["rank"]) for n in needs), key=lambda n: n[1])
        clean.history = history
    return (None, errors) if errors else (clean, [])
