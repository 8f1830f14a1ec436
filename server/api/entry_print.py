"""Print views of what staff share: a conversation with parents, a learning walk. A4 HTML the
browser prints or saves as PDF; the PWA links to it.

Read as GET /entries/<id> reads (the same scope and cut, a 404 when it is not yours to read),
then stripped of any safeguarding content (sync/print_view.py). Every print is audited.
"""

import base64
import hashlib
from functools import cache
from pathlib import Path

from flask import Response, render_template
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from markupsafe import Markup

from schemas.sen import today_in_london
from server.api.entries import audit_reads, readable_entry
from server.extensions import db
from server.policy import SIGN_IN, require
from sync import print_view, print_words

blp = Blueprint(
    "entry_print",
    __name__,
    url_prefix="/api/v1/entries",
    description="Print views of conversations with parents and learning walks.",
)

CSS_PATH = Path(__file__).resolve().parent.parent / "templates" / "print" / "print.css"
BUILDERS = {
    "conversation": (print_view.conversation, "print/conversation.html"),
    "learning_walk": (print_view.walk, "print/walk.html"),
}


@cache
def stylesheet() -> tuple[Markup, str]:
    """The print CSS, and the CSP that allows that one inline stylesheet and nothing else: no
    script, no request anywhere. A page that is saved or emailed keeps its look."""
    css = CSS_PATH.read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    policy = (
        f"default-src 'none'; style-src 'sha256-{digest}'; img-src data:; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'"
    )
    return Markup(css), policy


@blp.route("/<entry_id>/print")
class EntryPrint(MethodView):
    @blp.response(200, content_type="text/html", description="A print-ready A4 HTML page")
    @blp.doc(responses={"200": {"content": {"text/html": {"schema": {"type": "string"}}}}})
    @blp.alt_response(404, description="Not an entry you may read")
    @blp.alt_response(410, description="The entry was withdrawn")
    @blp.alt_response(422, description="Only conversations and learning walks print")
    def get(self, entry_id):
        """A print-ready A4 page in plain English: a conversation with parents (with a space for
        the parent's acknowledgement) or a learning walk (every judgement in words and shapes)."""
        staff = require(SIGN_IN)
        item = readable_entry(staff, entry_id)
        if item["deleted"]:
            abort(410, message="This record was withdrawn, so there is nothing to print.")
        if item["kind"] not in BUILDERS:
            abort(
                422,
                message="Only conversations with parents and learning walks have a print view.",
                errors={"kind": ["Only conversations with parents and learning walks print."]},
            )
        shown = print_view.printable(item)
        build, template = BUILDERS[item["kind"]]
        css, policy = stylesheet()
        html = render_template(
            template,
            v=build(db.session, staff.school_id, shown),
            css=css,
            printed_on=print_words.long_day(today_in_london()),
        )
        audit_reads(staff, "print", [shown], item["entry_id"], always=True)
        response = Response(html, mimetype="text/html")
        response.headers["Content-Security-Policy"] = policy
        return response
