"""Staff accounts: everyone may read the directory; only admins manage accounts, and only the
SENCO or a designated safeguarding lead names another DSL.

A password an admin sets (on the form, or as a temporary one from the reset) is known to the
admin, so it is only good for one login: the person must choose their own before anything else.
"""

import secrets

from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import fields
from sqlalchemy import func, select

from schemas.base import StrictSchema
from schemas.school import StaffSchema, TemporaryPasswordSchema
from server.api.crud import Resource, get_visible, register_crud
from server.auth import end_sessions_for, hash_secret
from server.extensions import db
from server.models import SchoolClass, Staff, audit
from server.models.scope import visible_staff_ids
from server.policy import MANAGE_ACCOUNTS, SIGN_IN, may_designate_dsl, require

blp = Blueprint("staff", __name__, url_prefix="/api/v1/staff", description="Staff and their roles.")

NOT_YOURS_TO_NAME = (
    "Only the SENCO or a designated safeguarding lead can say who is a "
    "designated safeguarding lead."
)
LAST_ADMIN = (
    "This is the school's only active admin. Make someone else an admin first, so the school "
    "can still manage its accounts."
)
# No 0/O or 1/l/I: the admin reads it out or writes it down for the person.
READABLE = "abcdefghjkmnpqrstuvwxyz23456789"


def _keeps_an_admin(staff: Staff, data: dict) -> None:
    """Nobody demotes or deactivates the last active admin, themselves included."""
    if staff.id is None or staff.role != "admin" or not staff.active:
        return
    demoted = data.get("role", "admin") != "admin"
    deactivated = data.get("active", True) is False
    if not (demoted or deactivated):
        return
    others = db.session.scalar(
        select(func.count())
        .select_from(Staff)
        .where(
            Staff.school_id == staff.school_id,
            Staff.role == "admin",
            Staff.active.is_(True),
            Staff.id != staff.id,
        )
    )
    if not others:
        field = "role" if demoted else "active"
        abort(409, message=LAST_ADMIN, errors={field: [LAST_ADMIN]})


def _set_password(staff: Staff, password: str) -> None:
    staff.password_hash = hash_secret(password)
    staff.must_change_password = True


def apply_staff(staff: Staff, data: dict) -> None:
    if "is_dsl" in data and data["is_dsl"] != bool(staff.is_dsl):
        abort(403, message=NOT_YOURS_TO_NAME, errors={"is_dsl": [NOT_YOURS_TO_NAME]})
    _keeps_an_admin(staff, data)
    password = data.pop("password", None)
    pin = data.pop("pin", None)
    class_ids = data.pop("class_ids", None)
    for key, value in data.items():
        setattr(staff, key, value)
    if class_ids is not None:
        staff.classes = list(
            db.session.scalars(select(SchoolClass).where(SchoolClass.id.in_(class_ids)))
        )
    if password:
        _set_password(staff, password)
    if pin:
        staff.pin_hash = hash_secret(pin)
    if password or data.get("active") is False or "role" in data:
        # A changed password, role or a deactivation must not leave old sessions alive.
        if staff.id:
            end_sessions_for(staff.id)


STAFF = Resource(
    model=Staff,
    schema=StaffSchema,
    noun="member of staff",
    write=MANAGE_ACCOUNTS,
    refs={"class_ids": SchoolClass},
    unique=("email",),
    apply=apply_staff,
    visible_ids=visible_staff_ids,  # a trust viewer kept here is not the school's to manage
    order_by=(Staff.name,),
)
register_crud(blp, STAFF)


class DesignationSchema(StrictSchema):
    is_dsl = fields.Boolean(required=True, metadata={"description": "Designated safeguarding lead"})


@blp.route("/<int:item_id>/dsl")
class Designation(MethodView):
    @blp.arguments(DesignationSchema)
    @blp.response(200, StaffSchema)
    def put(self, data, item_id):
        """Name or stand down a designated safeguarding lead (SENCO or an existing DSL)."""
        staff = require(SIGN_IN)
        if not may_designate_dsl(staff):
            abort(403, message=NOT_YOURS_TO_NAME)
        member = get_visible(STAFF, item_id, staff)
        if bool(member.is_dsl) != data["is_dsl"]:
            # Named or stood down, by whom: every DSL sees it (GET /api/v1/audit/designations).
            audit.record(
                db.session,
                "designate",
                "staff",
                member.id,
                school_id=staff.school_id,
                detail={"is_dsl": data["is_dsl"]},
            )
        member.is_dsl = data["is_dsl"]
        db.session.commit()
        return member


def temporary_password() -> str:
    """Twelve readable characters in three groups, e.g. 'kq7m-x2pa-r9tw' (about 59 bits)."""
    chars = "".join(secrets.choice(READABLE) for _ in range(12))
    return "-".join(chars[i : i + 4] for i in range(0, 12, 4))


@blp.route("/<int:item_id>/temporary-password")
class TemporaryPassword(MethodView):
    @blp.response(200, TemporaryPasswordSchema)
    def post(self, item_id):
        """Give someone a new temporary password, shown this once. Their sessions end, and at
        their next login they must choose their own password before doing anything else."""
        member = get_visible(STAFF, item_id, require(MANAGE_ACCOUNTS))
        if not member.active:
            abort(
                409,
                message="This account is deactivated. Reactivate it first.",
                errors={"active": ["Reactivate the account before giving it a password."]},
            )
        password = temporary_password()
        _set_password(member, password)
        end_sessions_for(member.id)
        db.session.commit()
        return {"staff": member, "temporary_password": password}
