"""The per-op result shapes of DESIGN §5.1: accepted | duplicate | conflict | rejected."""


def rejected(
    op_id, errors: dict, message: str = "This was not accepted: see what needs fixing."
) -> dict:
    """The client quarantines a rejected op with these field messages and carries on."""
    return {
        "op_id": None if op_id is None else str(op_id),
        "status": "rejected",
        "message": message,
        "errors": errors,
    }


def accepted(op_id: str, **details) -> dict:
    return {"op_id": op_id, "status": "accepted", **details}
