"""Staff accounts: everyone may read the directory; only admins manage accounts, and only the
SENCO or a designated safeguarding lead names another DSL."""

from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import fields

from schemas.base import StrictSchema
from schemas.school import StaffSchema
from server.api.crud import Resource, get_visible, register_crud
from server.auth import end_sessions_for, hash_secret
from server.extensions import db
from server.models import Staff
from server.policy import MANAGE_ACCOUNTS, SIGN_IN, may_designate_dsl, require

blp = Blueprint("staff", __name__, url_prefix="/api/v1/staff", description="Staff and their roles.")

NOT_YOURS_TO_NAME = (
    "Only the SENCO or a designated safeguarding lead can say who is a "
    "designated safeguarding lead."
)


def apply_staff(staff: Staff, data: dict) -> None:
    if "is_dsl" in data and data["is_dsl"] != bool(staff.is_dsl):
        abort(403, message=NOT_YOURS_TO_NAME, errors={"is_dsl": [NOT_YOURS_TO_NAME]})
    password = data.pop("password", None)
    pin = data.pop("pin", None)
    if "email" in data:
        data["email"] = data["email"].strip().lower()
    for key, value in data.items():
        setattr(staff, key, value)
    if password:
        staff.password_hash = hash_secret(password)
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
    unique=("email",),
    apply=apply_staff,
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
        member.is_dsl = data["is_dsl"]
        db.session.commit()
        return member
