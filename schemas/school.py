"""Staff, classes, terms and the login forms on the wire."""

from marshmallow import ValidationError, fields, post_load, validate, validates_schema

from schemas.base import Id, Pattern, StrictSchema, name_field, one_of, ref
from schemas.codes import ROLES, YEAR_GROUPS
from schemas.passwords import strong_enough

EMAIL_LENGTH = validate.Length(max=254)  # RFC 5321, and the width of the email columns


class LoginSchema(StrictSchema):
    email = fields.Email(required=True, validate=EMAIL_LENGTH)
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=200))
    otp = fields.String(
        load_only=True,
        validate=validate.Length(max=10),
        metadata={"description": "The 6-digit code, for accounts with a second step at login"},
    )


class CsrfSchema(StrictSchema):
    csrf_token = fields.String(dump_only=True)


class SchoolSchema(StrictSchema):
    id = Id
    name = fields.String(dump_only=True)
    dfe_number = fields.String(dump_only=True)


PASSWORD_LENGTH = validate.Length(min=10, max=200)
# Length, then strength (schemas/passwords.py: a deny-list and zxcvbn), wherever one is chosen.
PASSWORD_RULES = [PASSWORD_LENGTH, strong_enough]


class StaffSchema(StrictSchema):
    id = Id
    name = name_field(200, required=True)
    email = fields.Email(required=True, validate=EMAIL_LENGTH)
    role = one_of(ROLES, required=True)
    job_title = name_field(allow_none=True)
    is_dsl = fields.Boolean(metadata={"description": "Designated safeguarding lead"})
    active = fields.Boolean()
    password = fields.String(
        load_only=True,
        validate=PASSWORD_RULES,
        metadata={"description": "Set by an admin: the person must choose their own at next login"},
    )
    pin = fields.String(
        load_only=True, validate=Pattern(r"^\d{4,8}$", error="The PIN must be 4 to 8 digits.")
    )
    class_ids = fields.List(
        ref(), metadata={"description": "The classes this member of staff teaches"}
    )
    must_change_password = fields.Boolean(
        dump_only=True,
        metadata={"description": "Their password was set by an admin; they choose their own next"},
    )

    @post_load
    def lower_email(self, data, **kwargs):
        # Emails are stored lower-case: the uniqueness check must compare the stored form.
        if isinstance(data.get("email"), str):
            data["email"] = data["email"].strip().lower()
        return data


class TemporaryPasswordSchema(StrictSchema):
    staff = fields.Nested(StaffSchema)
    temporary_password = fields.String(
        metadata={"description": "Shown once: the person must change it when they log in"}
    )


class PasswordChangeSchema(StrictSchema):
    current_password = fields.String(
        required=True, load_only=True, validate=validate.Length(min=1, max=200)
    )
    new_password = fields.String(required=True, load_only=True, validate=PASSWORD_RULES)


class SecondFactorStateSchema(StrictSchema):
    enabled = fields.Boolean(metadata={"description": "You log in with a code as well"})
    required = fields.Boolean(metadata={"description": "Your school requires it of your role"})
    pending = fields.Boolean(metadata={"description": "Set it up before anything else"})


class MeSchema(StrictSchema):
    staff = fields.Nested(StaffSchema)
    school = fields.Nested(SchoolSchema)
    csrf_token = fields.String()
    pupil_mode_ticket = fields.String(
        metadata={"description": "Starts one pupil-mode grant, even offline (README, Pupil mode)"}
    )
    pin_kdf_iterations = fields.Integer(
        metadata={"description": "PBKDF2 iterations for a new staff PIN on this device"}
    )
    second_factor = fields.Nested(SecondFactorStateSchema)


class ClassSchema(StrictSchema):
    id = Id
    name = name_field(50, required=True)
    year_group = one_of(YEAR_GROUPS, required=True)
    teacher_ids = fields.List(ref(), load_default=list)


class TermSchema(StrictSchema):
    id = Id
    name = name_field(50, required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)

    @validates_schema
    def check_dates(self, data, **kwargs):
        if "starts_on" in data and "ends_on" in data and data["ends_on"] < data["starts_on"]:
            raise ValidationError({"ends_on": ["The term cannot end before it starts."]})
