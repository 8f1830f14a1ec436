"""Pupil records on the wire."""

from marshmallow import ValidationError, fields, pre_load, validate, validates, validates_schema

from schemas.base import Id, StrictSchema, name_field, one_of, ref
from schemas.codes import GENDERS, NEED_TYPES, SEN_PROVISION, YEAR_GROUPS
from schemas.dates import NOT_FUTURE
from schemas.sen import sen_record_errors, upn_error


class SenProvisionSchema(StrictSchema):
    code = one_of(SEN_PROVISION, required=True)
    start_date = fields.Date(required=True)
    end_date = fields.Date(allow_none=True, load_default=None)


class NeedSchema(StrictSchema):
    need_type = one_of(NEED_TYPES, required=True)
    rank = fields.Integer(required=True, validate=validate.Range(min=1, max=99))


UPN_SHAPE = "^[A-Z][0-9]{11}[0-9A-Z]$"


class PupilSchema(StrictSchema):
    id = Id
    # The check letter and LA number are checked too (schemas/sen.py); a pattern cannot say them.
    upn = fields.String(required=True, metadata={"pattern": UPN_SHAPE})
    forename = name_field(required=True)
    surname = name_field(required=True)
    preferred_name = name_field(allow_none=True)
    dob = fields.Date(required=True, validate=NOT_FUTURE)
    gender = one_of(GENDERS, required=True)
    year_group = one_of(YEAR_GROUPS, required=True)
    class_id = ref(allow_none=True)
    key_teacher_id = ref(allow_none=True)
    started_on = fields.Date(allow_none=True)
    looked_after = fields.Boolean()
    pupil_premium = fields.Boolean()
    eal = fields.Boolean()
    photo_consent = fields.Boolean()
    on_roll = fields.Boolean()
    left_on = fields.Date(allow_none=True)
    sen_provision = fields.String(dump_only=True, metadata={"description": "Current N, K or E"})
    sen_history = fields.List(fields.Nested(SenProvisionSchema), attribute="provisions")
    needs = fields.List(fields.Nested(NeedSchema))

    @pre_load
    def tidy_upn(self, data, **kwargs):
        if isinstance(data, dict) and isinstance(data.get("upn"), str):
            data = {**data, "upn": data["upn"].strip().upper()}
        return data

    @validates("upn")
    def check_upn(self, value, **kwargs):
        error = upn_error(value)
        if error:
            raise ValidationError(error)

    @validates_schema
    def check_sen_record(self, data, **kwargs):
        # A partial PATCH is checked against the stored record by the pupils resource.
        if "provisions" in data and "needs" in data:
            errors = sen_record_errors(data.get("provisions", []), data.get("needs", []))
            if errors:
                raise ValidationError(errors)


class PupilQuerySchema(StrictSchema):
    class_id = ref()
    year_group = one_of(YEAR_GROUPS)
    sen_provision = one_of(SEN_PROVISION)
    on_roll = fields.Boolean(load_default=True)
    q = fields.String(validate=validate.Length(max=100), metadata={"description": "Name or UPN"})
