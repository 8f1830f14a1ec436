"""Parse a pushed op's envelope and payload into checked values (the first step of a push)."""

from marshmallow import ValidationError

from schemas.entries import EntryPayload, OpSchema, PassportEditPayload
from schemas.fast import fast_op

OP_SCHEMA = OpSchema()
PAYLOADS = {"entry": EntryPayload(), "passport_edit": PassportEditPayload()}


def parse_op(op) -> tuple[dict | None, dict]:
    """Validate an op's envelope, then its payload; payload errors nest under the op type.
    Ids come back as canonical text (str of the UUID), the form every later step uses."""
    fast = fast_op(op)
    if fast is not None:
        return fast, {}
    if not isinstance(op, dict):
        return None, {"_schema": ["Each op must be a JSON object."]}
    try:
        parsed = OP_SCHEMA.load(op)
    except ValidationError as err:
        return None, err.messages
    kind = parsed["type"]
    if kind not in parsed:
        return None, {kind: ["Missing data for required field."]}
    try:
        parsed[kind] = PAYLOADS[kind].load(parsed[kind])
    except ValidationError as err:
        return None, {kind: err.messages}
    parsed["op_id"] = str(parsed["op_id"])
    if kind == "entry":
        parsed[kind]["entry_id"] = str(parsed[kind]["entry_id"])
    return parsed, {}
