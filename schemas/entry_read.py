"""Entries read over REST (GET /api/v1/entries): the filters in, and each reader's copy out."""

from marshmallow import ValidationError, fields, validate, validates_schema

from schemas.base import StrictSchema, one_of, ref
from schemas.dates import Moment
from schemas.entries import ENTRY_KINDS

PAGE_DEFAULT, PAGE_MAX = 50, 200


class EntryQuerySchema(StrictSchema):
    pupil_id = ref(metadata={"description": "Entries about this pupil (one of yours)"})
    group_id = ref(metadata={"description": "Entries recorded for this group"})
    kind = one_of(ENTRY_KINDS)
    author_id = ref(metadata={"description": "Staff id of whoever recorded the first version"})
    date_from = fields.Date(metadata={"description": "The entry's own date, on or after"})
    date_to = fields.Date(metadata={"description": "The entry's own date, on or before"})
    include_deleted = fields.Boolean(
        load_default=False, metadata={"description": "Also list withdrawn entries"}
    )
    limit = fields.Integer(load_default=PAGE_DEFAULT, validate=validate.Range(min=1, max=PAGE_MAX))
    cursor = fields.String(
        validate=validate.Length(min=1, max=200),
        metadata={"description": "next_cursor from the previous page; omit for the first"},
    )

    @validates_schema
    def dates_in_order(self, data, **kwargs):
        if "date_from" in data and "date_to" in data and data["date_from"] > data["date_to"]:
            raise ValidationError({"date_to": ["Must not be before date_from."]})


class StaffRefSchema(StrictSchema):
    id = fields.Integer()
    name = fields.String(allow_none=True)


class EditSchema(StrictSchema):
    by = fields.Nested(StaffRefSchema)
    at = Moment(metadata={"description": "When the latest version was recorded"})


class WithheldSchema(StrictSchema):
    fields_ = fields.List(fields.String(), data_key="fields", attribute="fields")
    message = fields.String()


class SafeguardingSchema(StrictSchema):
    fields_ = fields.List(fields.String(), data_key="fields", attribute="fields")


class EntryItemSchema(StrictSchema):
    """The reader's copy, cut exactly as a pull would send it (docs/trust.md)."""

    entry_id = fields.String()
    rev = fields.Integer()
    kind = fields.String()
    deleted = fields.Boolean()
    template_id = fields.String()
    template_version = fields.Integer()
    date = fields.Date(metadata={"description": "The entry's own school day"})
    recorded_at = Moment(metadata={"description": "When the first version was recorded"})
    author = fields.Nested(StaffRefSchema, metadata={"description": "Who recorded version 1"})
    last_edited = fields.Nested(
        EditSchema, allow_none=True, metadata={"description": "The latest correction; null if none"}
    )
    group_id = fields.Integer(allow_none=True)
    pupil_ids = fields.List(fields.Integer(), metadata={"description": "Only your pupils"})
    core = fields.Dict(metadata={"description": "Absent when deleted"})
    answers = fields.Dict(metadata={"description": "Absent when deleted"})
    withheld = fields.Nested(
        WithheldSchema, metadata={"description": "What was passed to the safeguarding lead"}
    )
    safeguarding = fields.Nested(
        SafeguardingSchema, metadata={"description": "SENCO and DSLs: safeguarding fields shown"}
    )
    can_amend = fields.Boolean(metadata={"description": "You may correct or withdraw it"})


class EntryPageSchema(StrictSchema):
    items = fields.List(fields.Nested(EntryItemSchema))
    next_cursor = fields.String(
        allow_none=True,
        metadata={"description": "Pass as cursor for the next page; null at the end"},
    )
