"""The row types a device pulls, each with its scope rule and how it is written on the wire."""

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import true

from schemas.provision import EnrolmentSchema, GroupSchema, InterventionSchema
from schemas.pupil import PupilSchema
from schemas.school import ClassSchema, StaffSchema, TermSchema
from server.models import (
    Enrolment,
    Entry,
    Group,
    Intervention,
    Passport,
    PassportField,
    Pupil,
    SchoolClass,
    Staff,
    Template,
    Term,
)
from server.models.scope import visible_enrolment_ids, visible_group_ids, visible_pupil_ids
from server.policy import READ_PASSPORTS, READ_PUPILS, ROLES, allows
from sync import entry_view


@dataclass(frozen=True)
class SyncedType:
    name: str
    model: type
    dump: Callable
    scope_filter: Callable  # scope -> SQL condition, or None for "none of these"
    key: Callable = lambda row: str(row.id)
    is_deleted: Callable = lambda row: False
    cut: bool = False  # goes through the reader's cut (sync/entry_view.py) before it is sent
    # The rows inside a device's pull window (sync/pull_window.py), from its first day; None:
    # every row of the type, whatever its age.
    window: Callable | None = None


def _schema_dump(schema):
    return schema.dump


def _everyone(scope):
    return true()


def _pupils_only(column, ability=READ_PUPILS):
    def condition(scope):
        if not allows(scope.role, ability) or not scope.pupils:
            return None
        return column.in_(visible_pupil_ids(scope.staff))

    return condition


def _dump_field(field: PassportField) -> dict:
    return {
        "pupil_id": field.pupil_id,
        "field": field.field,
        "value": field.value,
        "rev": field.rev,
        "edited_by": field.edited_by,
    }


def _dump_passport(passport: Passport) -> dict:
    return {
        "pupil_id": passport.pupil_id,
        "status": passport.status,
        "agreed_on": passport.agreed_on and passport.agreed_on.isoformat(),
        "shared_with_parent_on": passport.shared_with_parent_on
        and passport.shared_with_parent_on.isoformat(),
        "parent_acknowledged_on": passport.parent_acknowledged_on
        and passport.parent_acknowledged_on.isoformat(),
    }


def _dump_template(template: Template) -> dict:
    return {
        "template_id": template.template_id,
        "version": template.version,
        "kind": template.kind,
        "title": template.title,
        "definition": template.definition,
    }


SYNCED_TYPES = (
    SyncedType("class", SchoolClass, _schema_dump(ClassSchema()), _everyone),
    # The school's own staff: a trust viewer kept at the school is not in its directory.
    SyncedType("staff", Staff, _schema_dump(StaffSchema()), lambda scope: Staff.role.in_(ROLES)),
    SyncedType("term", Term, _schema_dump(TermSchema()), _everyone),
    SyncedType("intervention", Intervention, _schema_dump(InterventionSchema()), _everyone),
    SyncedType(
        "template",
        Template,
        _dump_template,
        _everyone,
        key=lambda t: f"{t.template_id}/{t.version}",
    ),
    SyncedType(
        "group",
        Group,
        _schema_dump(GroupSchema()),
        lambda scope: Group.id.in_(visible_group_ids(scope.staff)),
    ),
    SyncedType(
        "enrolment",
        Enrolment,
        _schema_dump(EnrolmentSchema()),
        lambda scope: Enrolment.id.in_(visible_enrolment_ids(scope.staff)),
    ),
    SyncedType("pupil", Pupil, _schema_dump(PupilSchema()), _pupils_only(Pupil.id)),
    SyncedType(
        "passport",
        Passport,
        _dump_passport,
        _pupils_only(Passport.pupil_id, READ_PASSPORTS),
        key=lambda p: str(p.pupil_id),
    ),
    SyncedType(
        "passport_field",
        PassportField,
        _dump_field,
        _pupils_only(PassportField.pupil_id, READ_PASSPORTS),
        key=lambda f: f"{f.pupil_id}/{f.field}",
    ),
    SyncedType(
        "entry",
        Entry,
        entry_view.dump,
        entry_view.readable,
        key=lambda e: e.entry_id,
        is_deleted=lambda e: e.deleted,
        cut=True,
        window=lambda first_day: Entry.date >= first_day,
    ),
)


def dump_change(kind: SyncedType, row, view: Callable[[dict], dict | None]) -> dict | None:
    """The change on the wire, or None when the reader may read nothing of the row."""
    data = kind.dump(row)
    if kind.cut:
        data = view(data)
        if data is None:
            return None
    return {
        "seq": row.server_seq,
        "type": kind.name,
        "id": kind.key(row),
        "deleted": kind.is_deleted(row),
        "data": data,
    }
