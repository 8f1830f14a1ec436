"""JSON for the hot path (op body hashes, JSON columns, the push response), through orjson.

A push serialises every entry several times; the standard library spent a tenth of a push
doing it, orjson about a tenth of that. Request bodies are still parsed by webargs with the
standard library, which keeps its field-level answers for odd input (huge integers, NaN).
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
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
