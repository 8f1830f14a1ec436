"""Write a batch's planned entry versions: insert them with their audit events, retire the
heads they replace, and index their pupils. Runs under the write lock, after planning."""

from sqlalchemy import update

from schemas.entries import ENTRY_KINDS, subject_of
from server.models import Entry, EntryPupil, audit
from server.models.bulk import execute_many
from server.models.sequence import next_seqs

ENTRY_INSERT = Entry.__table__.insert()
PUPIL_LINK_INSERT = EntryPupil.__table__.insert()


def write(batch) -> list[tuple[int, dict]]:
    """Insert the planned versions, retire the heads they replace, and index their pupils.
    Gives (primary key, row) of each new version, in op order.

    The versions are stamped with their place in the change order in the INSERT itself
    (server/models/sequence.py). (Stamping after the insert, with an UPDATE, rewrote every new
    row and its index entries: a fifth of the pages a push wrote.)"""
    rows, session = batch.plan.entries, batch.session
    if not rows:
        return []
    last = {row["entry_id"]: i for i, row in enumerate(rows)}
    stamps = next_seqs(session, batch.scope.school_id, len(rows), ids_of=Entry.__table__)
    new_ids = stamps.ids
    for i, (row, seq, pk) in enumerate(zip(rows, stamps.seqs, new_ids)):
        # An entry created and corrected in one batch: only its last version is the head.
        row["id"], row["server_xid"], row["server_seq"] = pk, stamps.xid, seq
        row["is_head"] = last[row["entry_id"]] == i
    audit.insert_audited(session, ENTRY_INSERT, rows, [version_event(row) for row in rows])
    corrected = {row["entry_id"] for row in rows if row["rev"] > 1}
    if corrected:
        session.execute(
            update(Entry)
            .where(Entry.entry_id.in_(corrected), Entry.id.not_in(new_ids))
            .values(is_head=False)
        )
    execute_many(session, PUPIL_LINK_INSERT, _pupil_links(batch.scope.school_id, new_ids, rows))
    return list(zip(new_ids, rows))


def version_event(row: dict) -> dict:
    """The audit event of one stored version: created, corrected or withdrawn."""
    return {
        "school_id": row["school_id"],
        "actor_id": row["author_id"],
        "device_id": row["device_id"],
        "action": "delete" if row["deleted"] else "create" if row["rev"] == 1 else "update",
        "resource": "entries",
        "resource_id": f"{row['entry_id']}/{row['rev']}",
        "detail": _KIND_DETAIL[row["kind"]],
        "at": row["received_at"],
    }


# Shared, so a batch's rows of one kind hand the bulk writer the same object to convert once.
_KIND_DETAIL = {kind: {"kind": kind} for kind in ENTRY_KINDS}


def _pupil_links(school_id: int, new_ids: list[int], rows: list[dict]) -> list[dict]:
    links = []
    for pk, row in zip(new_ids, rows):
        subject = subject_of(row["kind"], row["core"]) if row["core"] else None
        links.extend(
            {"entry_pk": pk, "pupil_id": p, "school_id": school_id, "is_subject": p == subject}
            for p in set(row["pupil_ids"])
        )
    return links


def session_deltas(batch):
    """The prepared session contributions, less those of versions that were refused or were
    replaced by a later op in this same batch."""
    deltas = batch.input.sessions.copy()
    heads = {id(head) for head in batch.plan.heads.values()}
    for item in batch.input.ops:
        version = item.version
        if version and version["kind"] == "session_record" and id(version) not in heads:
            deltas.add_session(version, -1)
    return deltas
