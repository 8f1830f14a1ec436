"""Entries read over REST: the same versions a pull would send the reader (`entry_view.readable`)
and the same cut of each (`entry_view.cut`), filtered, newest school day first, in keyset pages.

The page key is (date, entry_id): an entry keeps its entry_id through corrections, so a
correction made while someone pages cannot move it past their cursor or show it twice.
"""

import base64
import binascii
from datetime import date

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session, aliased

from server.models import Entry, EntryPupil, Staff
from sync import entry_view
from sync.scope import Scope


class BadCursor(ValueError):
    pass


CURSOR_MESSAGE = "Not a cursor from this list; start again without one."


def encode_cursor(day: date, entry_id: str) -> str:
    return base64.urlsafe_b64encode(f"e1|{day.isoformat()}|{entry_id}".encode()).decode()


def decode_cursor(cursor: str) -> tuple[date, str]:
    try:
        version, day, entry_id = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        if version != "e1" or not entry_id:
            raise ValueError
        return date.fromisoformat(day), entry_id
    except (ValueError, UnicodeError, binascii.Error):
        raise BadCursor(CURSOR_MESSAGE) from None


def _query(scope: Scope, condition, filters: dict):
    first = aliased(Entry)  # version 1: who recorded the entry (its author), and when
    query = (
        select(Entry, first.author_id.label("created_by"), first.recorded_at.label("created_at"))
        .join(first, and_(first.entry_id == Entry.entry_id, first.rev == 1))
        .where(Entry.school_id == scope.school_id, condition)
    )
    if not filters.get("include_deleted"):
        query = query.where(Entry.deleted.is_(False))
    for key, column in (("kind", Entry.kind), ("group_id", Entry.group_id)):
        if key in filters:
            query = query.where(column == filters[key])
    if "author_id" in filters:
        query = query.where(first.author_id == filters["author_id"])
    if "date_from" in filters:
        query = query.where(Entry.date >= filters["date_from"])
    if "date_to" in filters:
        query = query.where(Entry.date <= filters["date_to"])
    if "pupil_id" in filters:
        query = query.where(
            exists().where(
                EntryPupil.entry_pk == Entry.id, EntryPupil.pupil_id == filters["pupil_id"]
            )
        )
    return query.order_by(Entry.date.desc(), Entry.entry_id.desc())


def _about(item: dict, pupil_id: int | None, scope: Scope) -> bool:
    """The pupil filter, checked on the reader's copy too: an entry must not be found through a
    pupil the cut took out of it (another class's child in a group record)."""
    if pupil_id is None:
        return True
    if item.get("deleted"):
        return scope.whole_school or pupil_id in scope.pupils
    return pupil_id in item["pupil_ids"]


class Reader:
    """One reader's copies of stored versions, with their authors' names looked up per page."""

    def __init__(self, session: Session, scope: Scope):
        self.session, self.scope = session, scope
        self.view = entry_view.for_reader(session, scope)

    def item(self, row) -> dict | None:
        entry, created_by = row.Entry, row.created_by
        seen = self.view(entry_view.dump(entry))
        if seen is None:
            return None
        item = {
            "entry_id": entry.entry_id,
            "rev": entry.rev,
            "kind": entry.kind,
            "deleted": entry.deleted,
            "template_id": entry.template_id,
            "template_version": entry.template_version,
            "date": entry.date,
            "recorded_at": row.created_at,
            "author": {"id": created_by},
            "last_edited": None
            if entry.rev == 1
            else {"by": {"id": entry.author_id}, "at": entry.recorded_at},
            "group_id": entry.group_id,
            "can_amend": not entry.deleted
            and self.scope.can_write(entry.kind)
            and self.scope.can_amend(created_by, entry.pupil_ids),
        }
        if not entry.deleted:  # a tombstone says no more than a pull's does
            keys = ("pupil_ids", "core", "answers", "withheld", "safeguarding")
            item.update({k: seen[k] for k in keys if k in seen})
        return item

    def name_staff(self, items: list[dict]) -> list[dict]:
        refs = [i["author"] for i in items] + [
            i["last_edited"]["by"] for i in items if i["last_edited"]
        ]
        ids = {r["id"] for r in refs}
        names = (
            dict(self.session.execute(select(Staff.id, Staff.name).where(Staff.id.in_(ids))).all())
            if ids
            else {}
        )
        for ref in refs:
            ref["name"] = names.get(ref["id"])
        return items


def list_entries(session: Session, scope: Scope, filters: dict) -> dict:
    """One page: {items, next_cursor}. Rows the cut leaves nothing of are passed over, and the
    page is filled from the rows after them, so a short page always means the end."""
    condition = entry_view.readable(scope)
    if condition is None:
        return {"items": [], "next_cursor": None}
    limit, reader = filters["limit"], Reader(session, scope)
    query = _query(scope, condition, filters)
    after = decode_cursor(filters["cursor"]) if filters.get("cursor") else None
    found: list[tuple[tuple, dict]] = []
    while len(found) <= limit:
        page = query
        if after:
            day, entry_id = after
            page = query.where(
                or_(Entry.date < day, and_(Entry.date == day, Entry.entry_id < entry_id))
            )
        rows = session.execute(page.limit(limit + 1)).all()
        for row in rows:
            after = (row.Entry.date, row.Entry.entry_id)
            item = reader.item(row)
            if item is not None and _about(item, filters.get("pupil_id"), scope):
                found.append((after, item))
                if len(found) > limit:
                    break
        if len(rows) <= limit:
            break
    more = len(found) > limit
    found = found[:limit]
    return {
        "items": reader.name_staff([item for _, item in found]),
        "next_cursor": encode_cursor(*found[-1][0]) if more else None,
    }


def one_entry(session: Session, scope: Scope, entry_id: str) -> dict | None:
    """The reader's copy of one entry, or None when it is not theirs to read (or not there)."""
    condition = entry_view.readable(scope)
    if condition is None:
        return None
    query = _query(scope, condition, {"include_deleted": True}).where(Entry.entry_id == entry_id)
    row = session.execute(query).first()
    reader = Reader(session, scope)
    item = reader.item(row) if row else None
    return reader.name_staff([item])[0] if item else None
