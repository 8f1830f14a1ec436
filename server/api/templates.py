"""Form templates: the built-ins for everyone, plus each school's own, versioned and never edited.

Entries name the template version they were filled from, so every version stays readable.
"""

from flask.views import MethodView
from flask_smorest import Blueprint, abort
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from schemas.templates import (
    TemplateCreateSchema,
    TemplateOutSchema,
    TemplateVersionSchema,
    builtin_templates,
)
from server.extensions import db
from server.models import Staff, Template
from server.policy import MANAGE_SCHOOL, SIGN_IN, require

blp = Blueprint(
    "templates",
    __name__,
    url_prefix="/api/v1/templates",
    description="Form templates: built-in and the school's own, every version kept.",
)


def _builtin_out(definition: dict) -> dict:
    return {
        "template_id": definition["id"],
        "version": definition["version"],
        "kind": definition["kind"],
        "title": definition["title"],
        "builtin": True,
        "versions": [definition["version"]],
        "created_at": None,
        "definition": definition,
    }


def _row_out(row: Template, versions: list[int]) -> dict:
    return {
        "template_id": row.template_id,
        "version": row.version,
        "kind": row.kind,
        "title": row.title,
        "builtin": False,
        "versions": versions,
        "created_at": row.created_at,
        "definition": row.definition,
    }


def _versions(staff: Staff, template_id: str) -> list[int]:
    return list(
        db.session.scalars(
            select(Template.version)
            .where(Template.school_id == staff.school_id, Template.template_id == template_id)
            .order_by(Template.version)
        )
    )


def _school_row(staff: Staff, template_id: str, version: int | None = None) -> Template:
    """One version (the latest if none is named) of this school's template, or 404."""
    query = select(Template).where(
        Template.school_id == staff.school_id, Template.template_id == template_id
    )
    query = (
        query.where(Template.version == version)
        if version is not None
        else query.order_by(Template.version.desc()).limit(1)
    )
    row = db.session.scalar(query)
    if row is None:
        named = f" version {version}" if version is not None else ""
        abort(404, message=f"No template {template_id!r}{named} in this school.")
    return row


def _found(staff: Staff, template_id: str, version: int | None = None) -> dict:
    builtin = builtin_templates().get(template_id)
    if builtin is not None:
        if version not in (None, builtin["version"]):
            abort(404, message=f"Built-in template {template_id!r} has no version {version}.")
        return _builtin_out(builtin)
    return _row_out(_school_row(staff, template_id, version), _versions(staff, template_id))


def _save(staff: Staff, template_id: str, kind: str, version: int, body: dict) -> dict:
    definition = {"id": template_id, "version": version, "kind": kind, **body}
    row = Template(
        school_id=staff.school_id,
        template_id=template_id,
        version=version,
        kind=kind,
        title=body["title"],
        definition=definition,
        created_by=staff.id,
    )
    db.session.add(row)
    try:
        db.session.commit()
    except IntegrityError:
        # Two editors saving the same next version at once: the unique constraint decides.
        db.session.rollback()
        abort(409, message="Someone else saved this template at the same time. Reload and retry.")
    return _row_out(row, _versions(staff, template_id))


def _refuse_builtin(template_id: str) -> None:
    if template_id in builtin_templates():
        abort(
            409,
            message="Built-in templates cannot be changed; create your own with a new id.",
            errors={"template_id": ["This id belongs to a built-in template."]},
        )


@blp.route("/")
class Templates(MethodView):
    @blp.response(200, TemplateOutSchema(many=True))
    @blp.doc(summary="List the built-in templates and the latest version of the school's own")
    def get(self):
        staff = require(SIGN_IN)
        latest = (
            select(Template.template_id, func.max(Template.version))
            .where(Template.school_id == staff.school_id)
            .group_by(Template.template_id)
        )
        own = [
            _found(staff, template_id, version)
            for template_id, version in db.session.execute(latest.order_by(Template.template_id))
        ]
        return [_builtin_out(d) for d in builtin_templates().values()] + own

    @blp.arguments(TemplateCreateSchema)
    @blp.response(201, TemplateOutSchema)
    @blp.doc(summary="Create a school template (version 1)")
    def post(self, data):
        staff = require(MANAGE_SCHOOL)
        template_id, kind = data.pop("template_id"), data.pop("kind")
        _refuse_builtin(template_id)
        if _versions(staff, template_id):
            abort(
                409,
                message="This template already exists; add a new version instead.",
                errors={"template_id": ["A template with this id already exists."]},
            )
        return _save(staff, template_id, kind, 1, data)


@blp.route("/<template_id>")
class TemplateLatest(MethodView):
    @blp.response(200, TemplateOutSchema)
    @blp.doc(summary="Read the latest version of a template")
    def get(self, template_id):
        return _found(require(SIGN_IN), template_id)


@blp.route("/<template_id>/versions")
class TemplateVersions(MethodView):
    @blp.arguments(TemplateVersionSchema)
    @blp.response(201, TemplateOutSchema)
    @blp.doc(summary="Save the next version of a school template; earlier versions are kept")
    def post(self, data, template_id):
        staff = require(MANAGE_SCHOOL)
        _refuse_builtin(template_id)
        latest = _school_row(staff, template_id)
        return _save(staff, template_id, latest.kind, latest.version + 1, data)


@blp.route("/<template_id>/versions/<int:version>")
class TemplateVersion(MethodView):
    @blp.response(200, TemplateOutSchema)
    @blp.doc(summary="Read one version of a template, however old")
    def get(self, template_id, version):
        return _found(require(SIGN_IN), template_id, version)
