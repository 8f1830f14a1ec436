"""Shared schema base: unknown fields are refused, never silently dropped."""
from marshmallow import RAISE, Schema, ValidationError, fields, validate


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE
        ordered = True


class Pattern(validate.Regexp):
    r"""validate.Regexp, but the whole value must match. Python's "$" also matches before a
    final newline, so "1:6\n" passed as a ratio and was stored with its newline. The pattern
    stays as written: the OpenAPI spec publishes it, and "\Z" is not ECMA syntax."""

    def __call__(self, value):
        if not isinstance(value, str) or self.regex.fullmatch(value) is None:
            raise ValidationError(self._format_error(value))
        return value


def name_field(max_length: int = 100, **kwargs) -> fields.String:
    return fields.String(validate=validate.Length(min=1, max=max_length), **kwargs)


def one_of(codes, **kwargs) -> fields.String:
    return fields.String(validate=validate.OneOf(list(codes)), **kwargs)


def pence(**kwargs) -> fields.Integer:
    return fields.Integer(validate=validate.Range(min=0, max=100_000_000), **kwargs)


Id = fields.Integer(dump_only=True)

# Ids are 32-bit integers on every database we run on; a bigger number names nothing and,
# unchecked, makes SQLite raise OverflowError (a 500) instead of a field message.
MAX_ID = 2**31 - 1


def ref(**kwargs) -> fields.Integer:
    """An id naming another row."""
    return fields.Integer(validate=validate.Range(min=1, max=MAX_ID, error="No record has this id."),
                          **kwargs)
