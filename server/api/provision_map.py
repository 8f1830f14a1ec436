"""GET the provision map (JSON or CSV): whole school by default, or one class, year group, area
of need, funding source or member of staff. The figures come from sync/provision_map.py."""

import csv
import io
from datetime import date

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import RAISE, fields
from sqlalchemy import select

from schemas.base import StrictSchema, one_of, ref
from schemas.codes import BROAD_AREAS, FUNDING_SOURCES, YEAR_GROUPS
from schemas.provision_map import ProvisionMapSchema
from server.extensions import db
from server.models import SchoolClass, Staff, audit
from server.policy import SIGN_IN, require
from sync.provision_map import build_map

blp = Blueprint(
    "provision_map",
    __name__,
    url_prefix="/api/v1",
    description="The provision map, built from running records by the merge.",
)

GROUP_COLUMNS = [
    "Intervention",
    "Group",
    "Group size",
    "Frequency/duration/staff",
    "Sessions planned",
    "Sessions delivered",
    "Fidelity %",
    "Attendance %",
    "Cost (£)",
    "Cost per pupil (£)",
    "Cost per step (£)",
    "Progress",
]
PUPIL_COLUMNS = [
    "Pupil",
    "Entry",
    "Target",
    "Exit",
    "Outcome",
    "Steps moved",
    "Pupil attendance %",
    "Minutes received",
]


class MapQuery(StrictSchema):
    class_id = ref()
    year_group = one_of(YEAR_GROUPS)
    area_of_need = one_of(BROAD_AREAS)
    funding_source = one_of(FUNDING_SOURCES)
    staff_id = ref()
    as_of = fields.Date(
        metadata={"description": "Count planned sessions up to this day; default today"}
    )
    format = one_of(("json", "csv"), load_default="json")


def _check_refs(staff: Staff, args: dict) -> None:
    for name, model in (("class_id", SchoolClass), ("staff_id", Staff)):
        if (
            name in args
            and db.session.scalar(
                select(model.id).where(model.id == args[name], model.school_id == staff.school_id)
            )
            is None
        ):
            abort(422, errors={name: [f"No record with id {args[name]} in this school."]})


def _map(args: dict) -> tuple[Staff, dict]:
    staff = require(SIGN_IN)
    _check_refs(staff, args)
    return staff, build_map(db.session, staff, args, args.get("as_of") or date.today())


def pounds(pence) -> str:
    return "" if pence is None else f"{pence / 100:.2f}"


def csv_cell(value) -> str:
    """Text a spreadsheet would run as a formula is quoted (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _group_cells(row: dict) -> list:
    return [
        row["intervention"]["name"],
        row["group"],
        row["group_size"],
        row["frequency"],
        row["sessions_planned"],
        row["sessions_delivered"],
        row["fidelity_pct"],
        row["attendance_pct"],
        pounds(row["cost_pence"]),
        pounds(row["cost_per_pupil_pence"]),
        pounds(row["cost_per_step_pence"]),
        row["progress"]["summary"],
    ]


def _outcome(pupil: dict) -> str:
    """ "Partly met: repeat the block in spring", the structured outcome first."""
    return ": ".join(part for part in (pupil["outcome_words"], pupil["outcome"]) if part)


def _csv(result: dict) -> str:
    """One line per group and pupil; a viewer's (aggregate) export has one line per group."""
    out = io.StringIO()
    writer = csv.writer(out)
    pupils = not result["aggregate_only"]
    writer.writerow(GROUP_COLUMNS + (PUPIL_COLUMNS if pupils else []))
    for row in result["groups"]:
        lines = [
            [
                p["name"],
                p["entry"],
                p["target"],
                p["exit"],
                _outcome(p),
                p["steps_moved"],
                p["attendance_pct"],
                p["minutes_received"],
            ]
            for p in row.get("pupils", [])
        ]
        for line in lines or [[]]:  # a group with no pupil lines still gets its line
            writer.writerow([csv_cell(v) for v in _group_cells(row) + line])
    return out.getvalue()


def _export(staff: Staff, args: dict, result: dict) -> Response:
    audit.record(
        db.session,
        "export",
        "provision_map",
        school_id=staff.school_id,
        detail={"filters": sorted(result["filters"]), "groups": len(result["groups"])},
    )
    db.session.commit()
    name = f"provision-map-{result['as_of']}.csv"
    return Response(
        _csv(result),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@blp.route("/provision-map")
class ProvisionMap(MethodView):
    @blp.arguments(MapQuery, location="query", unknown=RAISE)
    @blp.response(200, ProvisionMapSchema)
    @blp.doc(
        summary="The provision map you may see: one row per group, with totals",
        # format=csv answers with the CSV the .csv path gives, under the same status.
        responses={
            "200": {
                "content": {
                    "application/json": {"schema": ProvisionMapSchema},
                    "text/csv": {"schema": {"type": "string"}},
                }
            }
        },
    )
    def get(self, args):
        staff, result = _map(args)
        return _export(staff, args, result) if args["format"] == "csv" else result


@blp.route("/provision-map.csv")
class ProvisionMapCsv(MethodView):
    @blp.arguments(MapQuery, location="query", unknown=RAISE)
    @blp.response(200, content_type="text/csv")
    @blp.doc(summary="The provision map as CSV: one line per group and pupil (audited)")
    def get(self, args):
        staff, result = _map(args)
        return _export(staff, args, result)
