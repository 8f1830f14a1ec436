"""Builders for sync ops, shared by the sync tests and the benchmarks."""

import uuid
from datetime import UTC, date, datetime

from server.extensions import db
from server.models import Template

SESSION_TEMPLATE = {
    "id": "test-session",
    "version": 1,
    "kind": "session_record",
    "title": "Test session record",
    "sections": [
        {
            "id": "notes",
            "title": "Notes",
            "questions": [{"id": "went_well", "prompt": "What went well?", "type": "text"}],
        }
    ],
}
VOICE_TEMPLATE = {
    "id": "test-voice",
    "version": 1,
    "kind": "pupil_voice",
    "title": "Test pupil voice",
    "sections": [
        {
            "id": "voice",
            "title": "My views",
            "questions": [
                {"id": "feel_school", "prompt": "How do you feel about school?", "type": "faces3"},
                {
                    "id": "feel_safe",
                    "prompt": "Do you feel safe at school?",
                    "type": "choice",
                    "options": [
                        {"value": v, "label": v.replace("_", " ").capitalize()}
                        for v in ("safe", "not_sure", "worried", "not_safe")
                    ],
                    "tags": ["safeguarding"],
                },
            ],
        }
    ],
}


def add_test_templates(school_id: int) -> None:
    for definition in (SESSION_TEMPLATE, VOICE_TEMPLATE):
        db.session.add(
            Template(
                school_id=school_id,
                template_id=definition["id"],
                version=1,
                kind=definition["kind"],
                title=definition["title"],
                definition=definition,
            )
        )
    db.session.commit()


def entry_op(
    seq: int,
    kind: str,
    core: dict,
    answers=None,
    entry_id=None,
    base_rev=None,
    deleted=False,
    template=None,
) -> dict:
    template = template or (SESSION_TEMPLATE if kind == "session_record" else VOICE_TEMPLATE)
    return {
        "op_id": str(uuid.uuid4()),
        "device_seq": seq,
        "type": "entry",
        "entry": {
            "entry_id": entry_id or str(uuid.uuid4()),
            "base_rev": base_rev,
            "deleted": deleted,
            "kind": kind,
            "template_id": template["id"],
            "template_version": template["version"],
            "recorded_at": datetime.now(UTC).isoformat(),
            "core": core,
            "answers": answers if answers is not None else {},
        },
    }


def session_op(
    seq: int, group_id: int, pupil_ids: list[int], day: date = date(2026, 11, 2), **kwargs
) -> dict:
    core = {
        "group_id": group_id,
        "date": day.isoformat(),
        "minutes_delivered": 30,
        "delivered_as_planned": True,
        "attendance": [
            {
                "pupil_id": p,
                "status": "present",
                "engagement": 4,
                "step": "Step 3",
                "note": "Good focus",
            }
            for p in pupil_ids
        ],
    }
    return entry_op(seq, "session_record", core, {"went_well": "Worked well together"}, **kwargs)


def voice_op(seq: int, pupil_id: int, feel_safe: str = "safe", **kwargs) -> dict:
    core = {
        "pupil_id": pupil_id,
        "date": "2026-11-03",
        "mode": "independent",
        "context": "termly_review",
    }
    return entry_op(seq, "pupil_voice", core, {"feel_school": 3, "feel_safe": feel_safe}, **kwargs)


def passport_op(seq: int, pupil_id: int, field: str, value: str, base_rev: int) -> dict:
    return {
        "op_id": str(uuid.uuid4()),
        "device_seq": seq,
        "type": "passport_edit",
        "passport_edit": {
            "pupil_id": pupil_id,
            "field": field,
            "value": value,
            "base_rev": base_rev,
        },
    }
