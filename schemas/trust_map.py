"""The provision map rolled up across a trust's schools on the wire (GET
/api/v1/trust/provision-map), as sync/trust_map.py builds it: figures only, so no field here
can carry a pupil's or a group's name. A school's own figures are objects described in words,
as in schemas/provision_map.py, rather than a second copy of the merge's column list."""

from marshmallow import fields

from schemas.base import StrictSchema

_BY_AREA = "Per area of need code: groups, places, sessions planned and delivered, minutes, cost"
_REGISTER = (
    "Pupils on roll on the day, and how many had SEN support or an EHC plan then "
    "(on_roll, sen_support, sen_support_pct, ehc_plan, ehc_plan_pct)"
)
_PUPILS = (
    "Pupils in provision and their places, minutes received and where each place stands from "
    "entry to exit (moved, no_step, not_counted, awaiting_exit)"
)


class TrustSchoolSchema(StrictSchema):
    school_id = fields.Integer(required=True)
    name = fields.String(required=True)
    dfe_number = fields.String(required=True)
    totals = fields.Dict(
        required=True,
        metadata={"description": "The school's map totals, fidelity and progress per measure"},
    )
    by_area = fields.Dict(required=True, metadata={"description": _BY_AREA})
    pupils_in_provision = fields.Dict(
        required=True, metadata={"description": _PUPILS + ", with the school's attendance %"}
    )
    sen_register = fields.Dict(required=True, metadata={"description": _REGISTER})


class TrustMapSchema(StrictSchema):
    as_of = fields.String(required=True, metadata={"format": "date"})
    aggregate_only = fields.Boolean(required=True)
    schools = fields.List(
        fields.Nested(TrustSchoolSchema),
        required=True,
        metadata={"description": "Each granted school, by name; empty before any grant"},
    )
    totals = fields.Dict(
        required=True,
        metadata={"description": "The schools' totals added up; percentages recomputed"},
    )
    total_label = fields.String(
        required=True, metadata={"description": 'The total line\'s name: "Both schools"'}
    )
    by_area = fields.Dict(required=True, metadata={"description": _BY_AREA + ", added up"})
    pupils_in_provision = fields.Dict(
        required=True,
        metadata={"description": _PUPILS + ", added up; no attendance % across schools"},
    )
    sen_register = fields.Dict(
        required=True, metadata={"description": _REGISTER + ", added up; % of all on roll"}
    )
