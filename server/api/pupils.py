"""Pupils: read within the user's scope; SENCO and admin create and edit."""

from flask_smorest import Blueprint, abort
from sqlalchemy import or_

from schemas.pupil import PupilQuerySchema, PupilSchema
from schemas.sen import sen_record_errors
from server.api.crud import Resource, register_crud
from server.extensions import db
from server.models import Pupil, PupilNeed, SchoolClass, SenProvision, Staff
from server.models.scope import visible_pupil_ids
from server.policy import READ_PUPILS
from sync.mis import ownership

blp = Blueprint(
    "pupils",
    __name__,
    url_prefix="/api/v1/pupils",
    description="Pupils, with their SEN provision history and ranked needs.",
)


def apply_pupil(pupil: Pupil, data: dict) -> None:
    """Replace SEN history and needs whole: the client always sends the full list. A PATCH that
    sends only one of them is checked together with the stored other half. Identity comes from
    the MIS where the school has one; a SEN field changed here is the app's from now on, which
    the nightly roster respects (sync/mis/ownership.py)."""
    refused = ownership.identity_edit_errors(db.session, pupil, data)
    if refused:
        abort(422, errors=refused)
    before = ownership.snapshot(pupil)
    provisions = data.pop("provisions", None)
    needs = data.pop("needs", None)
    if provisions is not None or needs is not None:
        errors = sen_record_errors(
            provisions
            if provisions is not None
            else [
                {"code": p.code, "start_date": p.start_date, "end_date": p.end_date}
                for p in pupil.provisions
            ],
            needs
            if needs is not None
            else [{"need_type": n.need_type, "rank": n.rank} for n in pupil.needs],
        )
        if errors:
            abort(422, errors=errors)
    for key, value in data.items():
        setattr(pupil, key, value)
    if pupil.id and (provisions is not None or needs is not None):
        # Delete the old rows before inserting the new ones: the unit of work would insert
        # first and trip the one-open-provision and unique-rank constraints.
        pupil.provisions = pupil.provisions if provisions is None else []
        pupil.needs = pupil.needs if needs is None else []
        db.session.flush()
    if provisions is not None:
        pupil.provisions = [SenProvision(school_id=pupil.school_id, **p) for p in provisions]
    if needs is not None:
        pupil.needs = [PupilNeed(school_id=pupil.school_id, **n) for n in needs]
    actor = (db.session.info.get("actor") or {}).get("actor_id")
    ownership.claim_for_app(db.session, pupil, before, actor)


def filter_pupils(query, args: dict):
    if "on_roll" in args:
        query = query.where(Pupil.on_roll.is_(args["on_roll"]))
    if "class_id" in args:
        query = query.where(Pupil.class_id == args["class_id"])
    if "year_group" in args:
        query = query.where(Pupil.year_group == args["year_group"])
    if "sen_provision" in args:
        open_codes = SenProvision.end_date.is_(None) & (SenProvision.code == args["sen_provision"])
        query = (
            query.where(Pupil.provisions.any(open_codes))
            if args["sen_provision"] != "N"
            else query.where(
                ~Pupil.provisions.any(SenProvision.end_date.is_(None) & (SenProvision.code != "N"))
            )
        )
    if args.get("q"):
        like = f"%{args['q'].strip()}%"
        query = query.where(
            or_(
                Pupil.forename.ilike(like),
                Pupil.surname.ilike(like),
                Pupil.preferred_name.ilike(like),
                Pupil.upn == args["q"].strip().upper(),
            )
        )
    return query


PUPILS = Resource(
    model=Pupil,
    schema=PupilSchema,
    noun="pupil",
    read=READ_PUPILS,
    visible_ids=visible_pupil_ids,
    refs={"class_id": SchoolClass, "key_teacher_id": Staff},
    unique=("upn",),
    apply=apply_pupil,
    filter_query=filter_pupils,
    query_schema=PupilQuerySchema,
    order_by=(Pupil.surname, Pupil.forename),
)
register_crud(blp, PUPILS)
