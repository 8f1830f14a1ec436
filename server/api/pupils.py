"""Pupils: read within the user's scope; SENCO and admin create and edit."""
from flask_smorest import Blueprint
from sqlalchemy import or_

from schemas.pupil import PupilQuerySchema, PupilSchema
from server.api.crud import Resource, register_crud
from server.models import Pupil, PupilNeed, SchoolClass, SenProvision, Staff
from server.models.scope import visible_pupil_ids

blp = Blueprint("pupils", __name__, url_prefix="/api/v1/pupils",
                description="Pupils, with their SEN provision history and ranked needs.")


def apply_pupil(pupil: Pupil, data: dict) -> None:
    """Replace SEN history and needs whole: the client always sends the full list."""
    provisions = data.pop("provisions", None)
    needs = data.pop("needs", None)
    for key, value in data.items():
        setattr(pupil, key, value)
    if provisions is not None:
        pupil.provisions = [SenProvision(school_id=pupil.school_id, **p) for p in provisions]
    if needs is not None:
        pupil.needs = [PupilNeed(school_id=pupil.school_id, **n) for n in needs]


def filter_pupils(query, args: dict):
    if "on_roll" in args:
        query = query.where(Pupil.on_roll.is_(args["on_roll"]))
    if "class_id" in args:
        query = query.where(Pupil.class_id == args["class_id"])
    if "year_group" in args:
        query = query.where(Pupil.year_group == args["year_group"])
    if "sen_provision" in args:
        open_codes = SenProvision.end_date.is_(None) & (SenProvision.code == args["sen_provision"])
        query = query.where(Pupil.provisions.any(open_codes)) if args["sen_provision"] != "N" else \
            query.where(~Pupil.provisions.any(SenProvision.end_date.is_(None) & (SenProvision.code != "N")))
    if args.get("q"):
        like = f"%{args['q'].strip()}%"
        query = query.where(or_(Pupil.forename.ilike(like), Pupil.surname.ilike(like),
                                Pupil.preferred_name.ilike(like), Pupil.upn == args["q"].strip().upper()))
    return query


PUPILS = Resource(
    model=Pupil, schema=PupilSchema, noun="pupil",
    read_roles=("admin", "senco", "teacher", "ta"),
    visible_ids=visible_pupil_ids,
    refs={"class_id": SchoolClass, "key_teacher_id": Staff},
    unique=("upn",),
    apply=apply_pupil,
    filter_query=filter_pupils,
    query_schema=PupilQuerySchema,
    order_by=(Pupil.surname, Pupil.forename),
)
register_crud(blp, PUPILS)
