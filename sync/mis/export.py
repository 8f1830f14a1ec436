"""SEN data out (DESIGN §7): the CTF and the CSVs for one school, as of one day, written as the
school's current export (sync/mis/export_files.py)."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from sync.mis import export_csv, export_ctf, export_reviews
from sync.mis.export_data import load
from sync.mis.export_files import Written, write_export


@dataclass
class Export:
    written: Written
    pupils: int
    files: int


def build_files(session: Session, school_id: int, today: date) -> tuple[dict, dict]:
    """({file name: bytes}, the manifest's facts) for the school as it stands today."""
    data = load(session, school_id, today)
    files = {
        export_ctf.file_name(data.school.dfe_number): export_ctf.build(data),
        "sen_register.csv": export_csv.sen_register(data),
        "provision.csv": export_csv.provision(data),
        "review_dates.csv": export_reviews.review_dates(data),
        "pupil_voice.csv": export_reviews.pupil_voice(data),
    }
    name, first, last = data.term
    facts = {
        "school": {"dfe_number": data.school.dfe_number, "name": data.school.name},
        "as_of": today.isoformat(),
        "term": {"name": name, "from": first.isoformat(), "to": last.isoformat()},
        "counts": {
            "pupils": len(data.pupils),
            "sen_register": sum(p.sen_provision in ("K", "E") for p in data.pupils),
        },
    }
    return files, facts


def export_school(session: Session, school_id: int, root: str, today: date, keep: int) -> Export:
    files, facts = build_files(session, school_id, today)
    written = write_export(root, today, files, facts, keep)
    # The manifest is a file of the export too.
    return Export(written, facts["counts"]["pupils"], len(files) + 1)
