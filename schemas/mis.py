"""The nightly MIS exchange on the wire: the run log and its query."""

from datetime import UTC, datetime

from marshmallow import fields, validate

from schemas.base import StrictSchema

STATUSES = ("running", "ok", "partial", "failed")
TRIGGERS = ("schedule", "app", "cli")


class Moment(fields.DateTime):
    """A stored moment with its offset: SQLite gives them back without one, meaning UTC. The
    run log keeps the moments inside its JSON as ISO text."""

    def _serialize(self, value, attr, obj, **kwargs):
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)


class MisRunQuerySchema(StrictSchema):
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class MisRunCountsSchema(StrictSchema):
    pupils_in = fields.Integer(metadata={"description": "Pupil rows in the roster."})
    created = fields.Integer()
    updated = fields.Integer(metadata={"description": "Changed, or back on roll."})
    unchanged = fields.Integer()
    left = fields.Integer(metadata={"description": "Marked as leavers (never deleted)."})
    rejected = fields.Integer(metadata={"description": "Rows refused, listed in `rejected`."})
    pupils_out = fields.Integer(metadata={"description": "Pupils in the SEN export's CTF."})
    files = fields.Integer(metadata={"description": "Files in the export, manifest included."})


class MisRejectedRowSchema(StrictSchema):
    row = fields.Integer(metadata={"description": "CSV line number, or CTF pupil number."})
    upn = fields.String()
    reason = fields.String(metadata={"description": "Every reason, in plain English."})


class MisDifferenceSchema(StrictSchema):
    pupil_id = fields.Integer()
    pupil_name = fields.String()
    field = fields.String(metadata={"description": "sen_provision | needs"})
    field_words = fields.String(metadata={"description": "SEN status | SEN needs"})
    app_value = fields.String(metadata={"description": "K, or needs in rank order: SLCN, ASD"})
    app_value_words = fields.String()
    mis_value = fields.String()
    mis_value_words = fields.String()
    changed_in_app_at = Moment()


class MisRunSchema(StrictSchema):
    id = fields.Integer()
    started_at = Moment()
    finished_at = Moment(allow_none=True)
    status = fields.String(metadata={"description": " | ".join(STATUSES)})
    trigger = fields.String(metadata={"description": " | ".join(TRIGGERS)})
    source = fields.String(metadata={"description": "file | http"})
    summary = fields.String(metadata={"description": "What happened, in one plain sentence."})
    counts = fields.Nested(MisRunCountsSchema)
    rejected = fields.List(fields.Nested(MisRejectedRowSchema))
    notes = fields.List(
        fields.String(),
        metadata={
            "description": "Rows applied, but worth knowing about, each in one sentence: "
            "a legacy code read as today's, a UPN repeated with the same details."
        },
    )
    differences = fields.List(
        fields.Nested(MisDifferenceSchema),
        metadata={
            "description": "SEN fields changed in the app that the MIS still holds "
            "differently, as they stood when the run finished."
        },
    )
    export_ready = fields.Boolean(
        metadata={"description": "This run's export is kept and can be downloaded."}
    )


class MisRunListSchema(StrictSchema):
    items = fields.List(fields.Nested(MisRunSchema), metadata={"description": "Newest first."})
