"""Audit log entries and the audit query on the wire."""

from marshmallow import fields, validate

from schemas.base import StrictSchema, ref
from schemas.dates import Moment


class AuditEventSchema(StrictSchema):
    id = fields.Integer()
    actor_id = fields.Integer(allow_none=True)
    device_id = fields.String(allow_none=True)
    action = fields.String()
    resource = fields.String()
    resource_id = fields.String(allow_none=True)
    detail = fields.Dict(allow_none=True)
    at = Moment()


class AuditQuerySchema(StrictSchema):
    resource = fields.String()
    resource_id = fields.String()
    actor_id = ref()
    before_id = ref(metadata={"description": "Page backwards from this id"})
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))
