"""GET the provision map rolled up across the schools a trust's or LA's viewer was granted
(issue 16): figures only, per school and added up (sync/trust_map.py), as JSON or CSV."""

import csv
import io

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE, fields

from schemas.base import StrictSchema
from schemas.sen import today_in_london
from schemas.trust_map import TrustMapSchema
from server.api.provision_map import csv_cell, pounds
from server.extensions import db
from server.models import audit
from server.policy import READ_ROLLUP, require
from sync.trust_map import build_rollup

blp = Blueprint(
    "trust",
    __name__,
    url_prefix="/api/v1/trust",
    description="For a trust or local authority: the aggregate provision map of its schools.",
)

# The order the app's table reads them in (pwa/js/views/trust.js), then entry -> exit.
COLUMNS = [
    "School",
    "DfE number",
    "Pupils in provision",
    "Places",
    "Groups",
    "Sessions planned",
    "Sessions delivered",
    "Delivered %",
    "Minutes delivered",
    "Cost (£)",
    "Attendance %",
    "Moved at least 1 step",
    "Measured, no step yet",
    "Exit noted in words",
    "No exit data yet",
    "Pupils on roll",
    "SEN support",
    "SEN support %",
    "EHC plan",
    "EHC plan %",
]


class RollupQuery(StrictSchema):
    as_of = fields.Date(
        metadata={"description": "Count planned sessions up to this day; default today"}
    )


def _rollup(args: dict) -> tuple:
    staff = require(READ_ROLLUP)
    return staff, build_rollup(db.session, staff, args.get("as_of") or today_in_london())


def _line(name, dfe_number, figures: dict) -> list:
    """A school's line, or the total's: both carry totals, pupils_in_provision, sen_register."""
    totals, pupils, register = (
        figures["totals"],
        figures["pupils_in_provision"],
        figures["sen_register"],
    )
    return [
        name,
        dfe_number,
        pupils["pupils"],
        pupils["enrolments"],
        totals["groups"],
        totals["sessions_planned"],
        totals["sessions_delivered"],
        totals["fidelity_pct"],
        totals["minutes_delivered"],
        pounds(totals["cost_pence"]),
        # The total line has none: an average of schools' percentages would mislead.
        pupils.get("attendance_pct"),
        pupils["moved"],
        pupils["no_step"],
        pupils["not_counted"],
        pupils["awaiting_exit"],
        register["on_roll"],
        register["sen_support"],
        register["sen_support_pct"],
        register["ehc_plan"],
        register["ehc_plan_pct"],
    ]


def _csv(rollup: dict) -> str:
    """One line per school, then the schools added up."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    lines = [_line(s["name"], s["dfe_number"], s) for s in rollup["schools"]]
    if lines:
        lines.append(_line(rollup["total_label"], "", rollup))
    for line in lines:
        writer.writerow([csv_cell(v) for v in line])
    return out.getvalue()


@blp.route("/provision-map")
class TrustProvisionMap(MethodView):
    @blp.arguments(RollupQuery, location="query", unknown=RAISE)
    @blp.response(200, TrustMapSchema)
    @blp.doc(
        summary="Each granted school's provision figures and their sum: no pupil, no group names"
    )
    def get(self, args):
        return _rollup(args)[1]


@blp.route("/provision-map.csv")
class TrustProvisionMapCsv(MethodView):
    @blp.arguments(RollupQuery, location="query", unknown=RAISE)
    @blp.response(200, content_type="text/csv")
    @blp.doc(summary="The same figures as CSV: a line per school and the total (audited)")
    def get(self, args):
        staff, rollup = _rollup(args)
        # Each school's own audit log shows that its figures left in a trust's export.
        for school in rollup["schools"]:
            audit.record(
                db.session,
                "export",
                "trust_provision_map",
                school_id=school["school_id"],
                detail={"as_of": rollup["as_of"]},
            )
        db.session.commit()
        return Response(
            _csv(rollup),
            mimetype="text/csv",
            headers={
                "Content-Disposition": (
                    f'attachment; filename="provision-across-schools-{rollup["as_of"]}.csv"'
                )
            },
        )
