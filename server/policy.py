"""Who may do what: the one home of the role rules in DESIGN §3.

Every check in the API and in `sync/` asks this module, by a named ability, so "may a TA delete
that?" has one answer in one place. It imports nothing from the app but Flask itself, so the
models, the sync engine and the views can all ask it without an import cycle.
"""

from dataclasses import dataclass

from flask import g
from flask_smorest import abort

ROLES = ("admin", "senco", "teacher", "ta", "viewer")  # a school's own staff
# A trust's or local authority's officer (issue 16): an account kept at one school that works
# in none. It reads the aggregate provision map of the schools an operator granted it
# (`flask trust grant`, server/cli_trust.py) and nothing inside any school: every ability below
# that a school's staff need leaves it out, SIGN_IN included.
LA_VIEWER = "la_viewer"
ACCOUNT_ROLES = ROLES + (LA_VIEWER,)
ENTRY_KINDS = ("session_record", "pupil_voice", "conversation", "learning_walk")


@dataclass(frozen=True)
class Ability:
    """Something a role may do whatever the record; record-level rules are functions below."""

    name: str
    roles: tuple[str, ...]


SIGN_IN = Ability("sign in", ROLES)
CAPTURE = Ability("capture evidence", ("senco", "teacher", "ta"))  # push, photos, reviews
MANAGE_SCHOOL = Ability("manage the school's records", ("admin", "senco"))  # pupils, groups...
MANAGE_ACCOUNTS = Ability("manage staff accounts", ("admin",))  # but not who is a DSL
READ_PUPILS = Ability("read pupils' records", ("admin", "senco", "teacher", "ta"))
READ_AUDIT = Ability("read the audit log", ("admin", "senco"))
READ_PASSPORTS = Ability("read passports", ("senco", "teacher", "ta"))  # of their own pupils
EDIT_PASSPORTS = Ability("edit passports", ("senco", "teacher"))
RESOLVE_CONFLICTS = Ability("resolve passport conflicts", ("senco",))
WHOLE_SCHOOL_PUPILS = Ability("see every pupil", ("admin", "senco"))
WHOLE_SCHOOL_GROUPS = Ability(
    "see every group", ("admin", "senco", "viewer", LA_VIEWER)
)  # as aggregates; the la_viewer through the roll-up only
READ_ROLLUP = Ability("read the provision map rolled up across granted schools", (LA_VIEWER,))
WHOLE_SCHOOL_ENTRIES = Ability("read every entry whole", ("senco",))
# The nightly MIS exchange: start a run, download the SEN export; read the run log.
RUN_MIS_SYNC = Ability("run the MIS sync and download its export", ("admin", "senco"))
READ_MIS_RUNS = Ability("read the MIS run log", ("admin", "senco"))
# Data rights (issue 15): subject access, legal holds and erasing a mistaken record.
EXPORT_PUPIL = Ability("export everything held about a pupil", ("senco",))
MANAGE_RETENTION = Ability("place and lift legal holds", ("senco",))
ERASE_ENTRIES = Ability("erase a mistaken record and its photos", ("senco",))
MANAGE_SECURITY = Ability("change the school's login rules", ("admin", "senco"))


# DESIGN §3: TAs write running records and pupil voice; teachers and the SENCO write every kind.
_CAPTURE_KINDS = {
    "senco": set(ENTRY_KINDS),
    "teacher": set(ENTRY_KINDS),
    "ta": {"session_record", "pupil_voice"},
}


def allows(role: str, ability: Ability) -> bool:
    return role in ability.roles


def aggregate_only(role: str) -> bool:
    """Reads figures, never a pupil's name, target, note or voice: heads, governors, trusts."""
    return role in ("viewer", LA_VIEWER)


def capture_kinds(role: str) -> set[str]:
    """The entry kinds a role may record; it reads the same kinds, and no others."""
    return _CAPTURE_KINDS.get(role, set())


def readable_kinds(role: str) -> tuple[str, ...]:
    return tuple(k for k in ENTRY_KINDS if k in capture_kinds(role))


def may_amend_entry(role: str, staff_id: int, author_id: int | None) -> bool:
    """Correct or withdraw an entry: its author or the SENCO (the old version's pupils must
    also be in their scope, which the caller checks against its scope)."""
    return role == "senco" or staff_id == author_id


def reads_safeguarding(staff) -> bool:
    """Concern notes, safeguarding-tagged answers and their detail: the SENCO and DSLs only."""
    return staff.role == "senco" or bool(staff.is_dsl)


def may_designate_dsl(staff) -> bool:
    """A DSL is named by the SENCO or an existing DSL, never by an admin alone."""
    return reads_safeguarding(staff)


def may_read_audit(staff) -> bool:
    """The audit log: admins and the SENCO by role, and DSLs, who must see who read what."""
    return allows(staff.role, READ_AUDIT) or bool(staff.is_dsl)


def may_read_data_access(staff) -> bool:
    """Who read or exported which pupil's data, and who names DSLs: the SENCO and DSLs."""
    return reads_safeguarding(staff)


def may_export_concerns(staff) -> bool:
    """A subject-access export leaves safeguarding out unless a DSL deliberately asks for it."""
    return bool(staff.is_dsl)


# What a staff login handed to a pupil may still send (server/pupil_mode.py): that pupil's new
# voice entries and their drawings, while the grant lasts; and, always, the way back.
_PUPIL_MODE_ALWAYS = {
    ("GET", "/api/v1/auth/csrf"),
    ("POST", "/api/v1/pupil-mode"),
    ("POST", "/api/v1/pupil-mode/end"),
}


def pupil_mode_allows(method: str, path: str, body, pupil_id: int, live: bool) -> bool:
    if (method, path) in _PUPIL_MODE_ALWAYS:
        return True
    if not live:
        return False
    if path.startswith("/api/v1/attachments/"):
        return (method == "PUT" and path.count("/") == 4) or (
            method == "GET" and path.endswith("/meta")
        )
    if (method, path) != ("POST", "/api/v1/sync/push") or not isinstance(body, dict):
        return False
    ops = body.get("ops")
    return isinstance(ops, list) and bool(ops) and all(_pupils_voice(op, pupil_id) for op in ops)


def _pupils_voice(op, pupil_id: int) -> bool:
    entry = op.get("entry") if isinstance(op, dict) and op.get("type") == "entry" else None
    core = entry.get("core") if isinstance(entry, dict) else None
    return (
        isinstance(core, dict)
        and entry.get("kind") == "pupil_voice"
        and core.get("pupil_id") == pupil_id
        and entry.get("base_rev") is None
        and not entry.get("deleted")
    )


def require(ability: Ability):
    """The signed-in member of staff, or a 401/403 in the error envelope."""
    staff = g.get("staff")
    if staff is None:
        abort(401, message="Please log in.")
    if not allows(staff.role, ability):
        abort(403, message="Your role cannot do this.")
    return staff


def require_safeguarding_reader():
    staff = require(SIGN_IN)
    if not reads_safeguarding(staff):
        abort(403, message="Only the SENCO and designated safeguarding leads see concerns.")
    return staff
