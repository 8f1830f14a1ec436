"""A fast path for the common shape of pushed entry ops: the hot path of every sync.

Each function returns exactly what marshmallow would (load for the op, load then dump for the
core), or None when the input strays from the common shape; the caller then runs marshmallow,
which also gives the field messages. tests/test_fast_path.py holds the two to agreement.
"""
import re
import uuid
from datetime import date, datetime

from schemas.entries import ATTENDANCE, ENTRY_KINDS, MAX_SEQ

UUID_TEXT = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
AWARE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(\+|-)\d{2}:\d{2}$")
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SHA = re.compile(r"^[0-9a-f]{64}$")
ENTRY_KEYS = {"entry_id", "base_rev", "deleted", "kind", "template_id", "template_version",
              "recorded_at", "core", "answers"}
CORE_TEXT = {"location": 500, "withdrawn_from": 500, "changes_made": 5000,
             "feedback_to_teacher": 5000}
ROW_TEXT = {"absence_reason": 500, "step": 500, "note": 5000}


def _int(value, low=None, high=None) -> bool:
    return type(value) is int and (low is None or value >= low) and (high is None or value <= high)


def _text(value, limit: int) -> bool:
    return value is None or (type(value) is str and len(value) <= limit)


def _uuid(value):
    return uuid.UUID(value) if type(value) is str and UUID_TEXT.match(value) else None


def fast_op(op) -> dict | None:
    if type(op) is not dict or op.keys() != {"op_id", "device_seq", "type", "entry"} \
            or op["type"] != "entry" or not _int(op["device_seq"], 0, MAX_SEQ):
        return None
    op_id, entry = _uuid(op["op_id"]), fast_entry(op["entry"])
    if op_id is None or entry is None:
        return None
    return {"op_id": op_id, "device_seq": op["device_seq"], "type": "entry", "entry": entry}


def fast_entry(entry) -> dict | None:
    if type(entry) is not dict or not entry.keys() <= ENTRY_KEYS or not ENTRY_KEYS - {
            "base_rev", "deleted", "answers"} <= entry.keys():
        return None
    entry_id, recorded = _uuid(entry["entry_id"]), entry["recorded_at"]
    base, deleted = entry.get("base_rev"), entry.get("deleted", False)
    answers = entry.get("answers", {})
    if entry_id is None or not (base is None or _int(base, 1)) or type(deleted) is not bool \
            or entry["kind"] not in ENTRY_KINDS or type(entry["template_id"]) is not str \
            or not 1 <= len(entry["template_id"]) <= 64 or not _int(entry["template_version"], 1) \
            or type(entry["core"]) is not dict or type(answers) is not dict \
            or type(recorded) is not str or not AWARE_TIME.match(recorded):
        return None
    try:
        recorded_at = datetime.fromisoformat(recorded)
    except ValueError:
        return None
    return {"entry_id": entry_id, "base_rev": base, "deleted": deleted, "kind": entry["kind"],
            "template_id": entry["template_id"], "template_version": entry["template_version"],
            "recorded_at": recorded_at, "core": entry["core"], "answers": answers}


def _day(value) -> bool:
    if type(value) is not str or not DAY.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


ROW_KEYS = {"pupil_id", "status", "engagement", *ROW_TEXT}


def _attendance_row(row) -> bool:
    # Spelled out rather than looped: it runs for every pupil of every pushed session.
    if type(row) is not dict or not row.keys() <= ROW_KEYS:
        return False
    engagement = row.get("engagement")
    return (_int(row.get("pupil_id")) and row.get("status") in ATTENDANCE
            and (engagement is None or _int(engagement, 1, 5))
            and _text(row.get("absence_reason"), ROW_TEXT["absence_reason"])
            and _text(row.get("step"), ROW_TEXT["step"])
            and _text(row.get("note"), ROW_TEXT["note"]))


def fast_session_core(core: dict) -> dict | None:
    """A session record's core as marshmallow would load and dump it, or None."""
    allowed = {"group_id", "date", "minutes_delivered", "delivered_as_planned", "attendance",
               "attachments", "flagged_concern", *CORE_TEXT}
    rows = core.get("attendance")
    if not core.keys() <= allowed or not {"group_id", "date", "minutes_delivered",
                                          "delivered_as_planned", "attendance"} <= core.keys() \
            or not _int(core["group_id"]) or not _day(core["date"]) \
            or not _int(core["minutes_delivered"], 0, 300) \
            or type(core["delivered_as_planned"]) is not bool \
            or (core["delivered_as_planned"] is False and not core.get("changes_made")) \
            or core.get("flagged_concern", False) is not False \
            or not all(_text(core.get(k), limit) for k, limit in CORE_TEXT.items()) \
            or type(rows) is not list or not 1 <= len(rows) <= 40 \
            or not all(_attendance_row(row) for row in rows) \
            or len({row["pupil_id"] for row in rows}) != len(rows):
        return None
    attachments = core.get("attachments", [])
    if type(attachments) is not list or len(attachments) > 20 or not all(
            type(a) is str and SHA.match(a) for a in attachments):
        return None
    return {**core, "attendance": [dict(row) for row in rows], "attachments": list(attachments),
            "flagged_concern": False}
