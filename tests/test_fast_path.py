"""The sync fast path must agree with marshmallow wherever it answers at all."""

import copy

from hypothesis import given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from schemas.entries import EntryPayload, OpSchema, SessionRecordCore
from schemas.fast import fast_op, fast_session_core
from tests.sync_support import session_op

CORE = SessionRecordCore()
ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.sampled_from([-1, 0, 1, 5, 6, 64, 300, 301, 2**31 - 1, 2**31]),
    st.integers(-5, 400),
    st.integers(2**40, 2**64),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
    st.sampled_from(
        [
            "",
            "2026-02-30",
            "2026-11-02",
            "present",
            "late",
            "asleep",
            "0" * 64,
            "x" * 600,
            "2026-11-02T10:00:00+00:00",
            "2026-11-02T10:00:00Z",
            "0B9E3F6A-1C2D-4E5F-8A9B-0C1D2E3F4A5B",
            "0b9e3f6a-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
        ]
    ),
    st.lists(st.integers(1, 9), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


def base_op():
    return session_op(3, 7, [11, 12, 13])


@st.composite
def mutated(draw, path_choices):
    op = base_op()
    for _ in range(draw(st.integers(0, 3))):
        path = draw(st.sampled_from(path_choices))
        target = _walk(op, path[:-1])
        if not isinstance(target, dict):
            continue  # an earlier mutation replaced this branch
        action = draw(st.sampled_from(["set", "delete", "extra"]))
        if action == "set":
            target[path[-1]] = draw(ODD_VALUES)
        elif action == "delete":
            target.pop(path[-1], None)
        else:
            target[draw(st.text(min_size=1, max_size=5))] = draw(ODD_VALUES)
    return op


def _walk(node, path):
    for key in path:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            return None
    return node


CORE_PATHS = [
    ("entry", "core", k)
    for k in (
        "group_id",
        "date",
        "minutes_delivered",
        "delivered_as_planned",
        "attendance",
        "attachments",
        "flagged_concern",
        "changes_made",
        "location",
    )
] + [
    ("entry", "core", "attendance", 0, k)
    for k in ("pupil_id", "status", "engagement", "note", "absence_reason", "score")
]
OP_PATHS = [("op_id",), ("device_seq",), ("type",)] + [
    ("entry", k)
    for k in (
        "entry_id",
        "base_rev",
        "deleted",
        "kind",
        "template_id",
        "template_version",
        "recorded_at",
        "answers",
    )
]


def marshmallow_core(core):
    try:
        return CORE.dump(CORE.load(copy.deepcopy(core)))
    except ValidationError:
        return "invalid"


def marshmallow_op(op):
    try:
        loaded = OpSchema().load(copy.deepcopy(op))
        loaded["entry"] = EntryPayload().load(loaded["entry"])
        # parse_op hands on ids as text; the fast path gives them so.
        loaded["op_id"], loaded["entry"]["entry_id"] = (
            str(loaded["op_id"]),
            str(loaded["entry"]["entry_id"]),
        )
        return loaded
    except (ValidationError, KeyError, TypeError):
        return "invalid"


@settings(max_examples=400, deadline=None, derandomize=True)
@given(mutated(CORE_PATHS))
def test_fast_core_agrees_with_marshmallow(op):
    core = op["entry"]["core"]
    fast = fast_session_core(core) if isinstance(core, dict) else None
    if fast is not None:
        assert fast == marshmallow_core(core)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(mutated(OP_PATHS))
def test_fast_op_agrees_with_marshmallow(op):
    fast = fast_op(op)
    if fast is not None:
        assert fast == marshmallow_op(op)


def test_the_common_shape_takes_the_fast_path():
    op = base_op()
    assert fast_op(op) == marshmallow_op(op)
    assert fast_session_core(op["entry"]["core"]) == marshmallow_core(op["entry"]["core"])
    not_planned = base_op()
    not_planned["entry"]["core"]["delivered_as_planned"] = False
    assert fast_session_core(not_planned["entry"]["core"]) is None  # marshmallow explains why
