"""JSON for the hot path (the push body, op body hashes, JSON columns, the push response),
through orjson.

A push serialises every entry several times; the standard library spent a tenth of a push
doing it, orjson about a tenth of that. What orjson refuses but the standard library accepts
(integers past 64 bits, NaN) goes to the standard library, so such input still gets its
field-level answers from the schemas rather than a parse error or a crash.
"""
import json

import orjson

loads = orjson.loads


def canonical(value) -> bytes:
    """One byte string per JSON value whatever its key order: what an op's body hash is over.
    (Non-ASCII text is hashed as UTF-8, where the first releases hashed \\u escapes.)"""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
    except orjson.JSONEncodeError:  # an integer beyond 64 bits, which json.loads accepts
        return json.dumps(value, sort_keys=True, separators=(",", ":"),
                          ensure_ascii=False).encode()


def dumps(value) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)


def db_dumps(value) -> str:
    """The engine's serialiser for JSON columns (int keys become strings, as json.dumps did)."""
    return dumps(value).decode()
