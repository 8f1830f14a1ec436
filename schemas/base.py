"""Shared schema base: unknown fields are refused, never silently dropped."""
from marshmallow import RAISE, Schema, fields, validate


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE
        ordered = True


def name_field(max_length: int = 100, **kwargs) -> fields.String:
    return fields.String(validate=validate.Length(min=1, max=max_length), **kwargs)


def one_of(codes, **kwargs) -> fields.String:
    return fields.String(validate=validate.OneOf(list(codes)), **kwargs)


def pence(**kwargs) -> fields.Integer:
    return fields.Integer(validate=validate.Range(min=0, max=100_000_000), **kwargs)


Id = fields.Integer(dump_only=True)
