"""Erase a mistaken record and its photos: stronger than withdrawing it (sync/erasure.py).
SENCO only, audited, and nothing written unless all of it is."""

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import fields, validate

from schemas.base import StrictSchema
from server.extensions import db
from server.policy import ERASE_ENTRIES, require
from sync import erasure

blp = Blueprint(
    "erasure",
    __name__,
    url_prefix="/api/v1/entries",
    description="Erasing a record entered by mistake.",
)


class ErasureSchema(StrictSchema):
    confirm = fields.String(
        required=True,
        validate=validate.Length(max=40),
        metadata={"description": "The record's entry_id again: erasure cannot be undone"},
    )


class ErasedSchema(StrictSchema):
    entry_id = fields.String()
    versions = fields.Integer()
    attachments = fields.Integer()


@blp.route("/<entry_id>/erasure")
class Erase(MethodView):
    @blp.arguments(ErasureSchema)
    @blp.response(200, ErasedSchema)
    def post(self, data, entry_id):
        """Erase every version of a record and the photos no other record uses. Devices that
        hold it drop it at their next pull; the audit log keeps who erased it and when."""
        staff = require(ERASE_ENTRIES)
        if data["confirm"] != entry_id:
            wrong = "Type the record's id again to confirm: erasure cannot be undone."
            abort(422, message=wrong, errors={"confirm": [wrong]})
        try:
            detail = erasure.erase(db.session, staff.school_id, entry_id)
        except erasure.NotFound:
            db.session.rollback()
            abort(404, message="No record with that id in your school.")
        db.session.commit()
        erasure.remove_files(current_app.config["ATTACHMENTS_DIR"], detail["files"])
        return {"entry_id": entry_id, **detail}
