"""The standard collection/item views, so each resource module says only what is special about it."""

from collections.abc import Callable
from dataclasses import dataclass, field

from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import RAISE
from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError

from schemas.base import StrictSchema as _NoQuery
from server.extensions import db
from server.models import Staff
from server.policy import MANAGE_SCHOOL, SIGN_IN, Ability, require


@dataclass
class Resource:
    model: type
    schema: type
    noun: str
    read: Ability = SIGN_IN
    write: Ability = MANAGE_SCHOOL
    visible_ids: Callable[[Staff], Select] | None = None
    refs: dict = field(default_factory=dict)
    unique: tuple = ()
    apply: Callable | None = None
    can_delete: Callable | None = None
    filter_query: Callable | None = None
    query_schema: type | None = None
    order_by: tuple = ()


def scoped_select(res: Resource, staff: Staff) -> Select:
    query = select(res.model).where(res.model.school_id == staff.school_id)
    if res.visible_ids is not None:
        query = query.where(res.model.id.in_(res.visible_ids(staff)))
    return query.order_by(*res.order_by, res.model.id)


def get_visible(res: Resource, item_id: int, staff: Staff):
    """One row, or 404 if it does not exist, is another school's, or is out of the user's scope."""
    obj = db.session.execute(scoped_select(res, staff).where(res.model.id == item_id)).scalar()
    if obj is None:
        abort(404, message=f"No {res.noun} with id {item_id}.")
    return obj


def check_refs(res: Resource, data: dict, staff: Staff) -> None:
    """Ids in a body must name rows of the same school: never a way into another school."""
    errors = {}
    for name, model in res.refs.items():
        value = data.get(name)
        ids = set(value if isinstance(value, list) else [] if value is None else [value])
        found = (
            set(
                db.session.scalars(
                    select(model.id).where(model.id.in_(ids), model.school_id == staff.school_id)
                )
            )
            if ids
            else set()
        )
        missing = sorted(ids - found)
        if missing:
            errors[name] = [f"No record with id {i} in this school." for i in missing]
    if errors:
        abort(422, errors=errors)


def check_unique(res: Resource, data: dict, staff: Staff, obj=None) -> None:
    for name in res.unique:
        if name not in data:
            continue
        query = select(res.model.id).where(getattr(res.model, name) == data[name])
        if name != "email":
            query = query.where(res.model.school_id == staff.school_id)
        if obj is not None:
            query = query.where(res.model.id != obj.id)
        if db.session.scalar(query) is not None:
            abort(
                409,
                errors={name: [f"Another record already has this {name}."]},
                message=f"That {name} is already in use.",
            )


def save(res: Resource, obj, data: dict, staff: Staff):
    check_refs(res, data, staff)
    check_unique(res, data, staff, obj if obj.id else None)
    (res.apply or default_apply)(obj, data)
    db.session.add(obj)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        abort(409, message=f"This {res.noun} clashes with an existing record.")
    return obj


def default_apply(obj, data: dict) -> None:
    for key, value in data.items():
        setattr(obj, key, value)


def apply_with_staff(ids_field: str, relation: str):
    """An apply step for resources that name staff by id (class teachers, group staff)."""

    def apply(obj, data: dict) -> None:
        staff_ids = data.pop(ids_field, None)
        default_apply(obj, data)
        if staff_ids is not None:
            setattr(
                obj,
                relation,
                list(db.session.scalars(select(Staff).where(Staff.id.in_(staff_ids)))),
            )

    return apply


def register_crud(blp: Blueprint, res: Resource) -> None:
    """Add GET/POST on the collection and GET/PATCH (and DELETE if allowed) on items."""
    query_schema = res.query_schema

    @blp.route("/")
    class Collection(MethodView):
        @blp.arguments(query_schema or _NoQuery, location="query", unknown=RAISE)
        @blp.response(200, res.schema(many=True))
        @blp.doc(summary=f"List the {res.noun}s you may see")
        def get(self, args):
            staff = require(res.read)
            query = scoped_select(res, staff)
            if res.filter_query:
                query = res.filter_query(query, args)
            return db.session.scalars(query).unique().all()

        @blp.arguments(res.schema)
        @blp.response(201, res.schema)
        @blp.doc(summary=f"Create a {res.noun}")
        def post(self, data):
            staff = require(res.write)
            return save(res, res.model(school_id=staff.school_id), data, staff)

    class Item(MethodView):
        @blp.response(200, res.schema)
        @blp.doc(summary=f"Read one {res.noun}")
        def get(self, item_id):
            return get_visible(res, item_id, require(res.read))

        @blp.arguments(res.schema(partial=True))
        @blp.response(200, res.schema)
        @blp.doc(summary=f"Change some fields of a {res.noun}")
        def patch(self, data, item_id):
            staff = require(res.write)
            return save(res, get_visible(res, item_id, staff), data, staff)

        if res.can_delete:

            @blp.response(204)
            @blp.doc(summary=f"Delete a {res.noun}")
            def delete(self, item_id):
                staff = require(res.write)
                obj = get_visible(res, item_id, staff)
                reason = res.can_delete(obj)
                if reason:
                    abort(409, message=reason)
                db.session.delete(obj)
                db.session.commit()

    blp.route("/<int:item_id>")(Item)
