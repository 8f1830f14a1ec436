"""A fast path for the common shape of pushed entry ops: the hot path of every sync.

Each function returns exactly what marshmallow would (load for the op, with its ids as canonical
text; load then dump for the core), or None when the input strays from the common shape; the
caller then runs marshmallow, which also gives the field messages. tests/test_fast_path.py
holds the two to agreement.

msgspec checks the shape in C (types, key sets, ranges, lengths, patterns): a session record's
six attendance rows cost 20 µs in Python and a few here. Only what msgspec cannot say (real
calendar dates and times and their bounds, a reason when not delivered as planned, each pupil
once) is Python. Text the database could not store sends an op to marshmallow, which names the
field; msgspec's int already refuses floats, booleans and numeric strings, as the schemas do.
"""

from datetime import date, datetime
from typing import Annotated, Literal

import msgspec
from msgspec import Meta, Struct

from schemas.clean import storable
from schemas.dates import day_problem, time_problem
from schemas.entries import MAX_SEQ

# \Z, not $: "$" also matches before a trailing newline, which uuid.UUID then refuses.
UUID_TEXT = Annotated[
    str,
    Meta(
        pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-"
        r"[0-9a-f]{12}\Z"
    ),
]
AWARE_TIME = Annotated[
    str,
    Meta(
        pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?"
        r"[+-]\d{2}:\d{2}\Z"
    ),
]
DAY = Annotated[str, Meta(pattern=r"^\d{4}-\d{2}-\d{2}\Z")]
SHA = Annotated[str, Meta(pattern=r"^[0-9a-f]{64}\Z")]
SHORT = Annotated[str, Meta(max_length=500)]
LONG = Annotated[str, Meta(max_length=5000)]


class _Entry(Struct, forbid_unknown_fields=True):
    entry_id: UUID_TEXT
    kind: Literal["learning_walk", "session_record", "pupil_voice", "conversation"]
    template_id: Annotated[str, Meta(min_length=1, max_length=64)]
    template_version: Annotated[int, Meta(ge=1)]
    recorded_at: AWARE_TIME
    core: dict
    base_rev: Annotated[int, Meta(ge=1)] | None = None
    deleted: bool = False
    answers: dict = {}


class _Op(Struct, forbid_unknown_fields=True):
    op_id: UUID_TEXT
    device_seq: Annotated[int, Meta(ge=0, le=MAX_SEQ)]
    type: Literal["entry"]
    entry: _Entry


class _Row(Struct, forbid_unknown_fields=True):
    pupil_id: int
    status: Literal["present", "absent", "late"]
    engagement: Annotated[int, Meta(ge=1, le=5)] | None = None
    absence_reason: SHORT | None = None
    step: SHORT | None = None
    note: LONG | None = None


class _SessionCore(Struct, forbid_unknown_fields=True):
    group_id: int
    date: DAY
    minutes_delivered: Annotated[int, Meta(ge=0, le=300)]
    delivered_as_planned: bool
    attendance: Annotated[list[_Row], Meta(min_length=1, max_length=40)]
    attachments: Annotated[list[SHA], Meta(max_length=20)] = []
    flagged_concern: Literal[False] = False
    location: SHORT | None = None
    withdrawn_from: SHORT | None = None
    changes_made: LONG | None = None
    feedback_to_teacher: LONG | None = None


def _shaped(value, kind):
    try:
        return msgspec.convert(value, kind)
    except msgspec.ValidationError:
        return None


def fast_op(op) -> dict | None:
    checked = _shaped(op, _Op)
    # The other strings are ids, times and names from a list; the core is fast_session_core's.
    if checked is None or not storable((checked.entry.template_id, checked.entry.answers)):
        return None
    entry = checked.entry
    try:
        recorded_at = datetime.fromisoformat(entry.recorded_at)
    except ValueError:
        return None
    if time_problem(recorded_at):
        return None
    # The pattern admits only canonical lower-case text, which is what str(uuid.UUID) gives.
    return {
        "op_id": checked.op_id,
        "device_seq": checked.device_seq,
        "type": "entry",
        "entry": {
            "entry_id": entry.entry_id,
            "base_rev": entry.base_rev,
            "deleted": entry.deleted,
            "kind": entry.kind,
            "template_id": entry.template_id,
            "template_version": entry.template_version,
            "recorded_at": recorded_at,
            "core": entry.core,
            "answers": entry.answers,
        },
    }


def fast_session_core(core: dict) -> dict | None:
    """A session record's core as marshmallow would load and dump it, or None."""
    checked = _shaped(core, _SessionCore)
    if (
        checked is None
        or (not checked.delivered_as_planned and not checked.changes_made)
        or len({row.pupil_id for row in checked.attendance}) != len(checked.attendance)
        or not storable(core)
    ):
        return None
    try:
        if day_problem(date.fromisoformat(checked.date)):
            return None
    except ValueError:
        return None
    return {
        **core,
        "attendance": [dict(row) for row in core["attendance"]],
        "attachments": list(checked.attachments),
        "flagged_concern": False,
    }
