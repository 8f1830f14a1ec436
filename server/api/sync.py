"""The sync protocol of DESIGN §5: batched idempotent push and cursor-paged pull."""

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import RAISE
from webargs.flaskparser import is_json_request

from schemas import jsonio
from schemas.entries import PullQuerySchema, PullResultSchema, PushResultSchema, PushSchema
from server.extensions import BodyParser, db
from server.models import audit
from server.policy import CAPTURE, SIGN_IN, require
from sync import entry_view
from sync.pull import BadCursor, pull
from sync.push import Busy, push
from sync.scope import scope_for

blp = Blueprint(
    "sync",
    __name__,
    url_prefix="/api/v1/sync",
    description="Offline sync: push ops from a device, pull changes since a cursor.",
)


class _PushBodyParser(BodyParser):
    """orjson reads a 100-op body in 0.4 ms where the standard library takes 1 ms. Whatever
    orjson refuses (integers past 64 bits, NaN, bad UTF-8, lone surrogates, nesting past 1024)
    goes to the standard parser, so odd bodies get the same answers here as on every other
    endpoint."""

    def _raw_load_json(self, req):
        if is_json_request(req):
            body = req.get_data(cache=True)
            try:
                parsed = jsonio.loads(body)
            except ValueError:
                return super()._raw_load_json(req)
            self.check_nesting(body)
            return parsed
        return super()._raw_load_json(req)


blp.ARGUMENTS_PARSER = _PushBodyParser()

SENSITIVE_TYPES = {"passport", "passport_field"}


@blp.route("/push")
class Push(MethodView):
    @blp.arguments(PushSchema)
    @blp.response(200, PushResultSchema)
    def post(self, data):
        """Send up to 500 ops, oldest first. Each gets its own result; a 2xx means every
        accepted op is committed. On a 5xx or a network failure, keep the ops and retry."""
        staff = require(CAPTURE)
        session = db.session()  # the request's own Session: each use of the proxy costs a lookup
        try:
            results = push(session, scope_for(session, staff), data["device_id"], data["ops"])
        except Busy:
            abort(
                503,
                message="The server is busy. Your work is safe on the device; try again.",
                headers={"Retry-After": "5"},
            )
        return _json({"results": results})


def _json(body: dict) -> Response:
    # The results are built to PushResultSchema's shape (tests hold them to it), so they go
    # out as they are: dumping 100 of them through marshmallow cost more than writing them.
    return Response(jsonio.dumps(body), mimetype="application/json")


@blp.route("/pull")
class Pull(MethodView):
    @blp.arguments(PullQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, PullResultSchema)
    def get(self, args):
        """Changes after `since` in server order. Page until `more` is false. If `reset` is
        true, your scope changed (or this is the first pull): replace what you hold."""
        staff = require(SIGN_IN)
        try:
            page = pull(db.session, scope_for(db.session, staff), args["since"], args["limit"])
        except BadCursor as err:
            abort(422, errors={"since": [str(err)]})
        _audit_sensitive_reads(staff, page["changes"])
        return page


def _audit_sensitive_reads(staff, changes: list[dict]) -> None:
    """One row per page naming the passports, conversations and safeguarding content it held:
    entries reach the SENCO and DSLs whole, marked "safeguarding" by sync/entry_view.py."""
    read = {
        "passports": sorted(
            {c["data"]["pupil_id"] for c in changes if c["type"] in SENSITIVE_TYPES}
        ),
        **entry_view.sensitive_reads([c["data"] for c in changes if c["type"] == "entry"]),
    }
    if any(read.values()):
        audit.record(db.session, "read", "sync_pull", school_id=staff.school_id, detail=read)
        db.session.commit()
