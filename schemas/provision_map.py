"""The provision map on the wire (GET /api/v1/provision-map), as sync/provision_map.py builds it.

The top level is described field by field; a group's row and the roll-ups are wide and grow
with the map, so they are objects here, described in words, rather than a second copy of the
merge's column list that would drift from it."""

from marshmallow import fields

from schemas.base import StrictSchema


class ProvisionMapSchema(StrictSchema):
    aggregate_only = fields.Boolean(
        required=True,
        metadata={"description": "True for roles that read aggregates only: rows carry no pupils"},
    )
    as_of = fields.String(required=True, metadata={"format": "date"})
    filters = fields.Dict(
        required=True, metadata={"description": "The filters this map was built with"}
    )
    groups = fields.List(
        fields.Dict(),
        required=True,
        metadata={
            "description": "One row per group: intervention, size, frequency, sessions planned "
            "and delivered, fidelity, attendance, cost, progress and, unless aggregate_only, "
            "its pupils and pupil-voice trend"
        },
    )
    totals = fields.Dict(required=True, metadata={"description": "The rows rolled up"})
    by_class = fields.Dict(
        required=True,
        metadata={"description": "Each class's roll-up, and the school's from the classes"},
    )
    classroom = fields.Dict(
        metadata={"description": "With class_id only: the class's whole-class provision"}
    )
