"""Who read or exported which pupil's data, for the SENCO and designated safeguarding leads;
and who named or stood down each safeguarding lead, shown to every DSL.

Reads of a pupil's data are audited where they happen (passport reads and prints, records read
or printed, subject-access exports, pupil mode, purges and erasures); this answers from those
rows, filterable by pupil, member of staff, what was done and when.
"""

from datetime import timedelta

from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import RAISE, fields, validate
from sqlalchemy import and_, or_, select

from schemas.base import StrictSchema, one_of, ref
from server.extensions import db
from server.models import AuditEvent, Entry, EntryPupil, Staff
from server.policy import SIGN_IN, may_read_data_access, require

blp = Blueprint(
    "data_access",
    __name__,
    url_prefix="/api/v1/audit",
    description="Who read or exported pupils' data; who designates safeguarding leads.",
)

ACTIONS = {
    "read": ("read",),
    "export": ("export",),
    "pupil_mode": ("pupil_mode_start", "pupil_mode_end"),
    "removed": ("purge", "erase"),
}
PUPIL_RESOURCES = ("passports", "pupils")


class AccessQuerySchema(StrictSchema):
    pupil_id = ref()
    actor_id = ref()
    action = one_of(tuple(ACTIONS))
    since = fields.Date()
    until = fields.Date()
    before_id = ref(metadata={"description": "Page backwards from this id"})
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))


class AccessEventSchema(StrictSchema):
    id = fields.Integer()
    at = fields.AwareDateTime()
    actor_id = fields.Integer(allow_none=True)
    actor_name = fields.String(allow_none=True)
    device_id = fields.String(allow_none=True)
    action = fields.String()
    resource = fields.String()
    resource_id = fields.String(allow_none=True)
    detail = fields.Dict(allow_none=True)


class DesignationChangeSchema(StrictSchema):
    id = fields.Integer()
    at = fields.AwareDateTime()
    by_id = fields.Integer(allow_none=True)
    by_name = fields.String(allow_none=True)
    staff_id = fields.Integer()
    staff_name = fields.String(allow_none=True)
    is_dsl = fields.Boolean()


class DesignationsSchema(StrictSchema):
    current = fields.List(fields.Dict(), metadata={"description": "[{id, name}] of today's DSLs"})
    changes = fields.List(fields.Nested(DesignationChangeSchema))


def _reader():
    staff = require(SIGN_IN)
    if not may_read_data_access(staff):
        abort(403, message="Only the SENCO and designated safeguarding leads see this.")
    return staff


def _about_pupil(pupil_id: int):
    entries = (
        select(Entry.entry_id)
        .join(EntryPupil, EntryPupil.entry_pk == Entry.id)
        .where(EntryPupil.pupil_id == pupil_id)
    )
    return or_(
        and_(AuditEvent.resource.in_(PUPIL_RESOURCES), AuditEvent.resource_id == str(pupil_id)),
        and_(AuditEvent.resource == "entries", AuditEvent.resource_id.in_(entries)),
    )


def _names(school_id: int) -> dict:
    return dict(
        db.session.execute(select(Staff.id, Staff.name).where(Staff.school_id == school_id)).all()
    )


@blp.route("/pupil-data")
class PupilData(MethodView):
    @blp.arguments(AccessQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, AccessEventSchema(many=True))
    def get(self, args):
        """Reads, prints and exports of pupils' data, pupil mode, purges and erasures; newest
        first. Page with before_id set to the last id you have."""
        staff = _reader()
        query = select(AuditEvent).where(
            AuditEvent.school_id == staff.school_id,
            AuditEvent.action.in_([a for group in ACTIONS.values() for a in group]),
            or_(AuditEvent.resource.in_(PUPIL_RESOURCES), AuditEvent.resource == "entries"),
        )
        if "pupil_id" in args:
            query = query.where(_about_pupil(args["pupil_id"]))
        if "actor_id" in args:
            query = query.where(AuditEvent.actor_id == args["actor_id"])
        if "action" in args:
            query = query.where(AuditEvent.action.in_(ACTIONS[args["action"]]))
        if "since" in args:
            query = query.where(AuditEvent.at >= args["since"])
        if "until" in args:
            query = query.where(AuditEvent.at < args["until"] + timedelta(days=1))
        if "before_id" in args:
            query = query.where(AuditEvent.id < args["before_id"])
        rows = db.session.scalars(query.order_by(AuditEvent.id.desc()).limit(args["limit"])).all()
        names = _names(staff.school_id)
        return [
            {
                **{
                    k: getattr(r, k)
                    for k in (
                        "id",
                        "at",
                        "actor_id",
                        "device_id",
                        "action",
                        "resource",
                        "resource_id",
                        "detail",
                    )
                },
                "actor_name": names.get(r.actor_id),
            }
            for r in rows
        ]


@blp.route("/designations")
class Designations(MethodView):
    @blp.response(200, DesignationsSchema)
    def get(self):
        """Today's designated safeguarding leads, and every time one was named or stood down:
        by whom and when. Every DSL sees every designation."""
        staff = _reader()
        names = _names(staff.school_id)
        current = db.session.scalars(
            select(Staff)
            .where(Staff.school_id == staff.school_id, Staff.is_dsl.is_(True))
            .order_by(Staff.name)
        )
        rows = db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.school_id == staff.school_id, AuditEvent.action == "designate")
            .order_by(AuditEvent.id.desc())
            .limit(200)
        )
        return {
            "current": [{"id": s.id, "name": s.name} for s in current],
            "changes": [
                {
                    "id": r.id,
                    "at": r.at,
                    "by_id": r.actor_id,
                    "by_name": names.get(r.actor_id),
                    "staff_id": int(r.resource_id),
                    "staff_name": names.get(int(r.resource_id)),
                    "is_dsl": bool((r.detail or {}).get("is_dsl")),
                }
                for r in rows
            ],
        }
