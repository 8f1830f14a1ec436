"""Text the databases can store: valid UTF-8 without NUL, checked once for a whole input.

PostgreSQL refuses NUL in text and SQLite cannot encode a lone surrogate (half of an emoji's
pair, which JSON's "\\ud83d" escape can carry on its own); either failed the whole request
with a 500. Free-form parts (answers, an op's entry before its own schema reads it) are
checked too, so no field can let such text through.
"""

from collections.abc import Mapping

import orjson

NUL = "Contains a NUL character."
HALF_EMOJI = "Contains a character that cannot be stored (an emoji cut in half?)."


def storable(value) -> bool:
    """True when every string in the value (keys too) is storable: one pass in C. False is
    only a hint (orjson also refuses what is not JSON, and escapes a typed "\\u0000" to a
    look-alike); text_errors then gives the exact answer."""
    try:
        return b"\\u0000" not in orjson.dumps(value)
    except (orjson.JSONEncodeError, TypeError):
        return False


def text_errors(value):
    """Messages shaped as marshmallow's (nested by field name and list index) for every string
    that cannot be stored, or None. A bad key is reported on the mapping holding it: echoing
    the key itself would put the bad text into the response."""
    if isinstance(value, str):
        problem = _problem(value)
        return [problem] if problem else None
    if isinstance(value, Mapping):
        for key in value:
            problem = _problem(key) if isinstance(key, str) else None
            if problem:
                return [problem]
        items = value.items()
    elif isinstance(value, (list, tuple)):
        items = enumerate(value)
    else:
        return None
    errors = {
        key: found for key, found in ((key, text_errors(item)) for key, item in items) if found
    }
    return errors or None


def _problem(text: str) -> str | None:
    if "\x00" in text:
        return NUL
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return HALF_EMOJI
    return None
