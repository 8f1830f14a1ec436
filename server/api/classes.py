"""Classes and their teachers: reference data every role may read."""

from flask_smorest import Blueprint
from sqlalchemy import select

from schemas.school import ClassSchema, TermSchema
from server.api.crud import Resource, apply_with_staff, register_crud
from server.extensions import db
from server.models import Pupil, SchoolClass, Staff, Term

blp = Blueprint("classes", __name__, url_prefix="/api/v1/classes", description="Classes.")
terms_blp = Blueprint("terms", __name__, url_prefix="/api/v1/terms", description="School terms.")


def class_in_use(school_class: SchoolClass) -> str | None:
    if db.session.scalar(select(Pupil.id).where(Pupil.class_id == school_class.id).limit(1)):
        return "This class still has pupils. Move them to another class first."
    return None


register_crud(
    blp,
    Resource(
        model=SchoolClass,
        schema=ClassSchema,
        noun="class",
        refs={"teacher_ids": Staff},
        unique=("name",),
        apply=apply_with_staff("teacher_ids", "teachers"),
        can_delete=class_in_use,
        order_by=(SchoolClass.year_group, SchoolClass.name),
    ),
)
register_crud(
    terms_blp,
    Resource(
        model=Term,
        schema=TermSchema,
        noun="term",
        unique=("name",),
        can_delete=lambda term: None,
        order_by=(Term.starts_on,),
    ),
)
