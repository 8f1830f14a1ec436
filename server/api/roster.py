"""Roster imports: a SENCO or admin uploads the MIS roster (CTF or CSV); sync/mis does the work."""

from flask.views import MethodView
from flask_smorest import Blueprint, abort
from flask_smorest.error_handler import ErrorSchema
from marshmallow import RAISE
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from webargs.flaskparser import FlaskParser
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import CombinedMultiDict, FileStorage

from schemas.roster import (
    RosterImportQuerySchema,
    RosterImportSchema,
    RosterReportSchema,
    RosterUploadSchema,
)
from server.extensions import db
from server.models import RosterImport
from server.policy import MANAGE_SCHOOL, require
from sync.mis import RosterFileError
from sync.mis.roster import import_roster


class MultipartParser(FlaskParser):
    """A "multipart" location reading the file and the form fields together, so one schema
    parses and documents the whole upload (flask-smorest gives each location its own body)."""

    __location_map__ = dict(FlaskParser.__location_map__, multipart="load_multipart")
    DEFAULT_UNKNOWN_BY_LOCATION = dict(FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, multipart=None)

    def load_multipart(self, req, schema):
        return MultiDictProxy(CombinedMultiDict([req.files, req.form]), schema)


class UploadBlueprint(Blueprint):
    ARGUMENTS_PARSER = MultipartParser()
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = dict(
        Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING, multipart="multipart/form-data"
    )


blp = UploadBlueprint(
    "roster",
    __name__,
    url_prefix="/api/v1/roster-imports",
    description="Roster in from the MIS: pupils upserted by UPN, leavers flagged.",
)


def _run(staff, upload: FileStorage, strict: bool, full: bool) -> dict:
    try:
        report = import_roster(
            db.session,
            staff.school_id,
            upload.read(),
            upload.filename or "",
            strict=strict,
            full=full,
        )
        db.session.commit()
        return report
    except RosterFileError as refusal:
        db.session.rollback()
        abort(422, message=str(refusal), errors={"file": [str(refusal)]})
    except IntegrityError:
        # Two imports for one school at once: the loser rolls back whole and can simply rerun.
        db.session.rollback()
        abort(
            409,
            message="Another import changed the same pupils at the same moment. "
            "Nothing from this file was saved; upload it again.",
        )


@blp.route("/")
class RosterImports(MethodView):
    @blp.arguments(RosterImportQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, RosterImportSchema(many=True))
    def get(self, args):
        """Past imports for your school, newest first."""
        staff = require(MANAGE_SCHOOL)
        query = (
            select(RosterImport)
            .where(RosterImport.school_id == staff.school_id)
            .order_by(RosterImport.id.desc())
            .limit(args["limit"])
        )
        return db.session.scalars(query).all()

    @blp.arguments(RosterUploadSchema, location="multipart")
    @blp.response(200, RosterReportSchema)
    @blp.alt_response(409, schema=ErrorSchema, description="A simultaneous import; retry.")
    @blp.alt_response(
        422,
        schema=ErrorSchema,
        description=(
            "The file as a whole cannot be used (damaged, wrong school, missing columns, not CTF or "
            "CSV); errors.file says why. Nothing was saved."
        ),
    )
    def post(self, data):
        """Import a roster file (CTF or CSV)

        Pupils are upserted by UPN. Rows that break a rule are reported with their row
        number and reasons; the rest is applied in one transaction.
        Importing the same file again changes nothing."""
        staff = require(MANAGE_SCHOOL)
        upload = data["file"]
        if not isinstance(upload, FileStorage):
            abort(422, errors={"file": ["Send the roster as a file in the 'file' field."]})
        return _run(staff, upload, data["strict"], not data["partial"])
