"""Entries over REST: what a pull would send this reader, as a filtered list or one entry.

Scope and redaction are not decided here: sync/entry_list.py reads through the one cut in
sync/entry_view.py (docs/trust.md, "Reading entries"). Reads of conversations and of
safeguarding content are audited as a pull's are.
"""

import uuid

from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import RAISE

from schemas.entry_read import EntryItemSchema, EntryPageSchema, EntryQuerySchema
from server.extensions import db
from server.models import audit
from server.policy import SIGN_IN, require
from sync import entry_view
from sync.entry_list import BadCursor, list_entries, one_entry
from sync.scope import scope_for

blp = Blueprint(
    "entries",
    __name__,
    url_prefix="/api/v1/entries",
    description="Entries you may read, cut as a pull cuts them: list, one, print.",
)


def audit_reads(staff, view: str, items: list[dict], entry_id: str | None = None, always=False):
    """One row per answer naming the conversations and safeguarding content it held; a print
    (always=True) is logged even when it held neither."""
    read = entry_view.sensitive_reads(items)
    if always or any(read.values()):
        detail = {"view": view, **read}
        audit.record(db.session, "read", "entries", entry_id, staff.school_id, detail)
        db.session.commit()


def readable_entry(staff, entry_id: str) -> dict:
    """The reader's copy, or a 404 that says the same whether it exists or not."""
    try:
        key = str(uuid.UUID(entry_id))
    except ValueError:
        key = None
    item = key and one_entry(db.session, scope_for(db.session, staff), key)
    if not item:
        abort(404, message=f"No entry with id {entry_id}.")
    return item


@blp.route("/")
class Entries(MethodView):
    @blp.arguments(EntryQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, EntryPageSchema)
    def get(self, args):
        """Entries you may read, newest school day first, each cut exactly as a pull sends it.
        Page with `next_cursor` until it is null. `can_amend` says whether you may correct it."""
        staff = require(SIGN_IN)
        try:
            page = list_entries(db.session, scope_for(db.session, staff), args)
        except BadCursor as err:
            abort(422, errors={"cursor": [str(err)]})
        audit_reads(staff, "list", page["items"])
        return page


@blp.route("/<entry_id>")
class EntryById(MethodView):
    @blp.response(200, EntryItemSchema)
    def get(self, entry_id):
        """One entry you may read (a 404 if it is not yours to read)."""
        staff = require(SIGN_IN)
        item = readable_entry(staff, entry_id)
        audit_reads(staff, "one", [item], item["entry_id"])
        return item
