"""Staff accounts: everyone may read the directory; only admins manage accounts."""
from flask_smorest import Blueprint

from schemas.school import StaffSchema
from server.api.crud import EVERYONE, Resource, register_crud
from server.auth import end_sessions_for, hash_secret
from server.models import Staff

blp = Blueprint("staff", __name__, url_prefix="/api/v1/staff", description="Staff and their roles.")


def apply_staff(staff: Staff, data: dict) -> None:
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


register_crud(blp, Resource(
    model=Staff, schema=StaffSchema, noun="member of staff", read_roles=EVERYONE,
    write_roles=("admin",), unique=("email",), apply=apply_staff, order_by=(Staff.name,),
))
