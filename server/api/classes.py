"""Classes and their teachers: reference data every role may read."""

from datetime import date

from flask_smorest import Blueprint, abort
from sqlalchemy import select

from schemas.school import ClassSchema, TermSchema
from server.api.crud import Resource, apply_with_staff, default_apply, register_crud
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


def _day(value: date) -> str:
    return f"{value:%a} {value.day} {value:%b %Y}"  # "Tue 1 Sep 2026", as the app writes dates


def apply_term(term: Term, data: dict) -> None:
    """Terms run in order and never overlap: a week in two terms would be counted twice in the
    provision map's planned sessions, and a PATCH of one date must still leave a real term."""
    starts = data.get("starts_on", term.starts_on)
    ends = data.get("ends_on", term.ends_on)
    if ends < starts:
        message = "The term cannot end before it starts."
        abort(422, message=message, errors={"ends_on": [message]})
    clash = db.session.scalar(
        select(Term)
        .where(
            Term.school_id == term.school_id,
            Term.id != (term.id or 0),
            Term.starts_on <= ends,
            Term.ends_on >= starts,
        )
        .order_by(Term.starts_on)
        .limit(1)
    )
    if clash is not None:
        message = (
            f"These dates overlap {clash.name} ({_day(clash.starts_on)} to {_day(clash.ends_on)})."
        )
        abort(409, message=message, errors={"starts_on": [message]})
    default_apply(term, data)


register_crud(
    terms_blp,
    Resource(
        model=Term,
        schema=TermSchema,
        noun="term",
        unique=("name",),
        apply=apply_term,
        can_delete=lambda term: None,
        order_by=(Term.starts_on,),
    ),
)
