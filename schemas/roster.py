"""Roster imports from the MIS on the wire: the upload form, the report and the import log."""

from marshmallow import fields, validate

from schemas.base import StrictSchema
from schemas.dates import Moment


class RosterUploadSchema(StrictSchema):
    file = fields.Raw(
        required=True,
        metadata={
            "type": "string",
            "format": "binary",
            "description": "A CTF (.xml) or a roster CSV (.csv; columns in sync/mis/ROSTER_CSV.md).",
        },
    )
    strict = fields.Boolean(
        load_default=False,
        metadata={"description": "All or nothing: if any row is rejected, nothing is applied."},
    )
    partial = fields.Boolean(
        load_default=False,
        metadata={
            "description": "The file is not the whole roll (e.g. new starters only): pupils missing "
            "from it are not marked as leavers."
        },
    )


class RosterCountsSchema(StrictSchema):
    rows = fields.Integer(metadata={"description": "Pupil rows in the file."})
    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    left = fields.Integer(
        metadata={"description": "On roll before, absent from a full roster now."}
    )
    rejoined = fields.Integer(metadata={"description": "Back on roll after being marked as left."})
    rejected = fields.Integer()
    classes_created = fields.Integer()


class RejectedRowSchema(StrictSchema):
    row = fields.Integer(metadata={"description": "CSV line number, or CTF pupil number from 1."})
    upn = fields.String()
    errors = fields.List(fields.String())


class RosterReportSchema(StrictSchema):
    id = fields.Integer(metadata={"description": "The import log entry."})
    status = fields.String(
        metadata={
            "description": "applied (every row), partial (some rows rejected, the rest applied) or "
            "rejected (strict mode with rejected rows: nothing applied)."
        }
    )
    counts = fields.Nested(RosterCountsSchema)
    rejected = fields.List(fields.Nested(RejectedRowSchema))


class RosterImportSchema(RosterReportSchema):
    filename = fields.String()
    file_format = fields.String(metadata={"description": "ctf or csv"})
    sha256 = fields.String(metadata={"description": "Of the uploaded bytes."})
    actor_id = fields.Integer(allow_none=True, metadata={"description": "None for the CLI."})
    at = Moment()


class RosterImportQuerySchema(StrictSchema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
