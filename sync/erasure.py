"""Erasing a mistaken record: stronger than withdrawing it.

A withdrawal (a tombstone) keeps every earlier version, so the record can still be read back by
the SENCO. Erasure empties every version's content and answers, makes the head a tombstone (so
devices that hold a copy drop it at their next pull), takes it out of the projections, and
deletes the photos and drawings no other record uses: their rows in the same transaction, their
files after the commit (`remove_files`), listed in the audit row so a crash in between is
finished by the next retention run (`finish_earlier`). The rows stay, without content: a
concern the record raised still names it, and the audit row says who erased it and when.
"""

import os

from sqlalchemy import String, cast, delete, select
from sqlalchemy.orm import Session

from server.models import Attachment, AuditEvent, Entry, audit
from sync.merge.apply import apply_batch
from sync.merge.contributions import Deltas

HEAD_KEYS = (
    "kind",
    "deleted",
    "group_id",
    "core",
    "answers",
    "date",
    "school_id",
    "template_id",
    "template_version",
)


class NotFound(Exception):
    pass


def head_row(entry: Entry) -> dict:
    """An entry version as the merge reads it (sync/merge/contributions.py)."""
    return {key: getattr(entry, key) for key in HEAD_KEYS}


def erase(session: Session, school_id: int, entry_id: str) -> dict:
    """Erase every version of one entry, in the caller's transaction. Returns the audit detail
    (numbers and file paths only); the caller commits, then calls remove_files."""
    versions = session.scalars(
        select(Entry)
        .where(Entry.school_id == school_id, Entry.entry_id == entry_id)
        .order_by(Entry.rev)
    ).all()
    if not versions:
        raise NotFound(entry_id)
    head = next(v for v in versions if v.is_head)
    hashes = {sha for v in versions for sha in (v.core or {}).get("attachments") or ()}
    if not head.deleted:
        old = head_row(head)
        apply_batch(
            session, school_id, {entry_id: old}, {entry_id: {**old, "deleted": True}}, Deltas()
        )
    for version in versions:
        version.core, version.answers = {}, {}
    head.deleted = True
    session.flush()
    files = drop_unused_attachments(session, school_id, hashes)
    detail = {"versions": len(versions), "attachments": len(files) // 2, "files": files}
    audit.record(session, "erase", "entries", entry_id, school_id=school_id, detail=detail)
    return detail


def drop_unused_attachments(session: Session, school_id: int, hashes) -> list[str]:
    """Delete the attachment rows of `hashes` that no stored entry version still names; returns
    their files' paths (relative to ATTACHMENTS_DIR) to remove after the commit."""
    files = []
    for sha in sorted(hashes):
        still_used = session.scalar(
            select(Entry.id)
            .where(Entry.school_id == school_id, cast(Entry.core, String).contains(sha))
            .limit(1)
        )
        row = session.scalar(
            select(Attachment).where(Attachment.school_id == school_id, Attachment.sha256 == sha)
        )
        if still_used or row is None:
            continue
        files += [row.path, row.thumbnail_path]
        session.execute(delete(Attachment).where(Attachment.id == row.id))
    return files


def remove_files(attachments_dir: str, paths) -> int:
    """Remove files whose rows are gone; a file already gone is fine. Returns how many went."""
    removed = 0
    root = os.path.realpath(attachments_dir)
    for relative in paths:
        path = os.path.realpath(os.path.join(root, relative))
        if not path.startswith(root + os.sep):
            continue  # only ever inside the attachments folder
        try:
            os.remove(path)
            removed += 1
        except FileNotFoundError:
            pass
    return removed


def finish_earlier(session: Session, attachments_dir: str) -> int:
    """Remove files an earlier purge or erasure committed the removal of but did not delete
    (it stopped between the commit and the files)."""
    details = session.scalars(
        select(AuditEvent.detail).where(AuditEvent.action.in_(("purge", "erase")))
    )
    return sum(remove_files(attachments_dir, (d or {}).get("files") or ()) for d in details)
