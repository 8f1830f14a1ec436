"""Retention: a pupil who has left is purged once the school's period for SEN files has run.

The default period is the pupil's date of birth + 31 years: the IRMS Information Management
Toolkit for Schools' period for SEN files, reviews and EHC plans, as practitioners quote it
(an EHC plan can run to 25, plus six years' limitation; older guidance said + 25). It is the
setting RETENTION_YEARS_FROM_DOB. A pupil on legal hold is never purged.

A purge is one transaction per pupil: their entries (every version), the rows of group records
that name them, their concerns, passport and its versions, provision history, projections and
the pupil row go together, and one audit row says what went, when and under which rule. Files
are removed after the commit; the audit row lists them, so a run that stopped in between is
finished by the next (`erasure.finish_earlier`). Nothing is half-purged: a failure rolls that
pupil back and the run goes on to the next, reporting it.
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, exists, select, update
from sqlalchemy.orm import Session

from schemas.entries import SUBJECT_KINDS
from server.models import Base, Entry, EntryPupil, LegalHold, Pupil, audit
from server.models.base import links_to
from sync.entry_view import PUPIL_ROWS
from sync.erasure import drop_unused_attachments, finish_earlier, head_row, remove_files
from sync.merge.apply import apply_batch
from sync.merge.contributions import Deltas


def rule(years: int) -> str:
    return f"date of birth + {years} years (IRMS toolkit for schools: SEN files)"


def purge_after(dob: date, years: int) -> date:
    try:
        return dob.replace(year=dob.year + years)
    except ValueError:  # born on 29 February
        return dob.replace(year=dob.year + years, day=28)


@dataclass
class Report:
    purged: list = field(default_factory=list)  # (pupil id, detail)
    due: list = field(default_factory=list)  # (pupil id, purge date, counts) on a dry run
    held: list = field(default_factory=list)  # pupil ids past the period but on hold
    failed: list = field(default_factory=list)  # (pupil id, message)
    files_finished: int = 0


def due_pupils(session: Session, today: date, years: int, school_id: int | None = None):
    """(pupil, on hold?) for every leaver whose period has run."""
    query = select(Pupil, exists().where(LegalHold.pupil_id == Pupil.id)).where(
        Pupil.on_roll.is_(False)
    )
    if school_id is not None:
        query = query.where(Pupil.school_id == school_id)
    for pupil, held in session.execute(query.order_by(Pupil.id)):
        if purge_after(pupil.dob, years) <= today:
            yield pupil, held


def run(
    session: Session,
    today: date,
    years: int,
    attachments_dir: str,
    dry_run: bool = False,
    school_id: int | None = None,
) -> Report:
    report = Report()
    if not dry_run:
        report.files_finished = finish_earlier(session, attachments_dir)
    for pupil, held in list(due_pupils(session, today, years, school_id)):
        if held:
            report.held.append(pupil.id)
        elif dry_run:
            report.due.append((pupil.id, purge_after(pupil.dob, years), counts(session, pupil.id)))
        else:
            _purge_one(session, pupil, years, attachments_dir, report)
    session.rollback()  # a dry run wrote nothing; a real one committed pupil by pupil
    return report


def _purge_one(session: Session, pupil: Pupil, years: int, attachments_dir: str, report) -> None:
    pupil_id = pupil.id
    try:
        detail = purge(session, pupil, years)
        session.commit()
    except Exception as error:  # one pupil's failure must not stop the others
        session.rollback()
        report.failed.append((pupil_id, f"{type(error).__name__}: {error}"[:300]))
        return
    remove_files(attachments_dir, detail["files"])
    report.purged.append((pupil_id, detail))


def counts(session: Session, pupil_id: int) -> dict:
    entries = session.scalars(
        select(Entry.entry_id)
        .distinct()
        .join(EntryPupil, EntryPupil.entry_pk == Entry.id)
        .where(EntryPupil.pupil_id == pupil_id)
    ).all()
    return {"records": len(entries)}


def purge(session: Session, pupil: Pupil, years: int) -> dict:
    """Remove everything held about one pupil, in the caller's transaction."""
    pupil_id, school_id = pupil.id, pupil.school_id
    versions = session.scalars(
        select(Entry).where(
            Entry.entry_id.in_(
                select(Entry.entry_id)
                .join(EntryPupil, EntryPupil.entry_pk == Entry.id)
                .where(EntryPupil.pupil_id == pupil_id)
            )
        )
    ).all()
    by_entry: dict[str, list[Entry]] = {}
    for version in versions:
        by_entry.setdefault(version.entry_id, []).append(version)
    gone = [eid for eid, vs in by_entry.items() if _only_about(vs, pupil_id)]
    kept = [eid for eid in by_entry if eid not in gone]
    hashes = {sha for eid in gone for v in by_entry[eid] for sha in v.core.get("attachments") or ()}
    _unmerge(session, school_id, by_entry, gone, kept, pupil_id)
    gone_pks = [v.id for eid in gone for v in by_entry[eid]]
    for eid in kept:
        for version in by_entry[eid]:
            _scrub(session, version, pupil_id)
    session.expunge_all()  # from here on, SQL only: the ORM must not write stale copies back
    _delete_rows(session, "entries", gone_pks)
    _delete_rows(session, "pupils", [pupil_id])
    files = drop_unused_attachments(session, school_id, hashes)
    detail = {
        "rule": rule(years),
        "records": len(gone),
        "group_records_trimmed": len(kept),
        "attachments": len(files) // 2,
        "files": files,
    }
    audit.record(session, "purge", "pupils", pupil_id, school_id=school_id, detail=detail)
    return detail


def _only_about(versions: list[Entry], pupil_id: int) -> bool:
    """The record is the pupil's own (their voice, a conversation about them, a session only
    they attended); anything else (a group's session, a walk that flagged them) is trimmed."""
    return all(
        v.core.get("pupil_id") == pupil_id
        if v.kind in SUBJECT_KINDS
        else v.kind == "session_record" and set(v.pupil_ids) <= {pupil_id}
        for v in versions
    )


def _scrubbed(row: dict, pupil_id: int) -> dict:
    core = dict(row["core"])
    rows = PUPIL_ROWS.get(row["kind"])
    if rows in core:
        core[rows] = [r for r in core[rows] if r["pupil_id"] != pupil_id]
    if core.get("concern_pupil_id") == pupil_id:
        core.pop("concern_pupil_id")
        core.pop("concern_note", None)
    return {**row, "core": core}


def _unmerge(session, school_id: int, by_entry: dict, gone: list, kept: list, pupil_id: int):
    """Take the pupil out of the projections the way a push would: each affected head's old
    contribution away, its successor's (a scrubbed copy, or nothing) in."""
    replaced, heads, deltas = {}, {}, Deltas()
    for eid in gone + kept:
        head = next(v for v in by_entry[eid] if v.is_head)
        if head.deleted:
            continue
        old = head_row(head)
        new = {**old, "deleted": True} if eid in gone else _scrubbed(old, pupil_id)
        replaced[eid], heads[eid] = old, new
        if new["kind"] == "session_record" and not new["deleted"]:
            deltas.add_session(new, +1)
    if heads:
        apply_batch(session, school_id, replaced, heads, deltas)


def _scrub(session: Session, version: Entry, pupil_id: int) -> None:
    scrubbed = _scrubbed({"kind": version.kind, "core": version.core}, pupil_id)
    session.execute(
        update(Entry)
        .where(Entry.id == version.id)
        .values(core=scrubbed["core"], pupil_ids=[p for p in version.pupil_ids if p != pupil_id])
    )


def _delete_rows(session: Session, table_name: str, ids: list) -> None:
    """Delete rows by id, and first every row that refers to them, table by table, following
    the schema's foreign keys and declared references (SET NULL ones are set to null):
    whatever tables other features add about a pupil go with the pupil."""
    if not ids:
        return
    table = Base.metadata.tables[table_name]
    for other, column, ondelete in links_to(table):
        if ondelete == "SET NULL":
            session.execute(update(other).where(column.in_(ids)).values({column.name: None}))
        elif "id" in other.c and any(links_to(other)):
            child_ids = list(session.scalars(select(other.c.id).where(column.in_(ids))))
            _delete_rows(session, other.name, child_ids)
        else:
            session.execute(delete(other).where(column.in_(ids)))
    session.execute(delete(table).where(table.c.id.in_(ids)))
