"""GET the provision map rolled up across the schools a trust's or LA's viewer was granted
(issue 16): figures only, per school and added up (sync/trust_map.py)."""

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE, fields

from schemas.base import StrictSchema
from schemas.sen import today_in_london
from server.extensions import db
from server.policy import READ_ROLLUP, require
from sync.trust_map import build_rollup

blp = Blueprint(
    "trust",
    __name__,
    url_prefix="/api/v1/trust",
    description="For a trust or local authority: the aggregate provision map of its schools.",
)


class RollupQuery(StrictSchema):
    as_of = fields.Date(
        metadata={"description": "Count planned sessions up to this day; default today"}
    )


@blp.route("/provision-map")
class TrustProvisionMap(MethodView):
    @blp.arguments(RollupQuery, location="query", unknown=RAISE)
    @blp.response(200)
    @blp.doc(
        summary="Each granted school's provision figures and their sum: no pupil, no group names"
    )
    def get(self, args):
        staff = require(READ_ROLLUP)
        return build_rollup(db.session, staff, args.get("as_of") or today_in_london())
