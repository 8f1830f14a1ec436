"""Shared schema base: unknown fields are refused, never silently dropped; text must be
storable; integers must be JSON integers."""

import re

from marshmallow import RAISE, Schema, ValidationError, fields, pre_load, validate
from webargs.multidictproxy import MultiDictProxy

from schemas.clean import storable, text_errors

_INTEGER_TEXT = re.compile(r"-?[0-9]{1,30}")
_BOOLEAN_TEXT = {"true": True, "false": False}


class StrictSchema(Schema):
    """Integers are strict: 31.5 was stored as 31, and "1" or true were taken for ids."""

    #: Fields whose contents are checked elsewhere, item by item (a push's ops: one op's bad
    #: text must not refuse the whole push).
    TEXT_CHECKED_LATER: tuple[str, ...] = ()

    class Meta:
        unknown = RAISE
        ordered = True

    def on_bind_field(self, field_name, field_obj):
        for field in _with_inner(field_obj):
            if isinstance(field, fields.Integer):
                field.strict = True
            if isinstance(field, fields.Boolean):
                field._deserialize = _strict_boolean(field)

    @pre_load
    def refuse_unstorable_text(self, data, **kwargs):
        # Query strings first: all their values are text, so integers are read from digits.
        if isinstance(data, MultiDictProxy):
            data = self._typed_query(data)
        checked = (
            {k: v for k, v in data.items() if k not in self.TEXT_CHECKED_LATER}
            if self.TEXT_CHECKED_LATER and isinstance(data, dict)
            else data
        )
        if not storable(checked):
            errors = text_errors(checked)
            if errors:
                raise ValidationError(errors)
        return data

    def _typed_query(self, data: MultiDictProxy) -> dict:
        integers = {
            field.data_key or name
            for name, field in self.load_fields.items()
            if any(isinstance(f, fields.Integer) for f in _with_inner(field))
        }
        booleans = {
            field.data_key or name
            for name, field in self.load_fields.items()
            if isinstance(field, fields.Boolean)
        }
        return {
            key: _integer_text(data[key])
            if key in integers
            else _BOOLEAN_TEXT.get(data[key], data[key])
            if key in booleans and isinstance(data[key], str)
            else data[key]
            for key in data
        }


def _strict_boolean(field):
    """JSON true and false only: 0, 1 and "yes" were taken for booleans, which the document
    (type: boolean) refuses. Query strings say "true" or "false" (_typed_query)."""
    loose = field._deserialize

    def strict(value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise field.make_error("invalid", input=value)
        return loose(value, attr, data, **kwargs)

    return strict


def _with_inner(field):
    """The field and the fields it holds (a list's items, a dict's keys and values)."""
    yield field
    for inner in (
        getattr(field, "inner", None),
        getattr(field, "key_field", None),
        getattr(field, "value_field", None),
        *getattr(field, "tuple_fields", ()),
    ):
        if inner is not None:
            yield from _with_inner(inner)


def _integer_text(value):
    if isinstance(value, list):
        return [_integer_text(item) for item in value]
    return int(value) if isinstance(value, str) and _INTEGER_TEXT.fullmatch(value) else value


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
    return fields.Integer(
        validate=validate.Range(min=1, max=MAX_ID, error="No record has this id."), **kwargs
    )
