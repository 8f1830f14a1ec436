"""JSON for the hot path (the push body, op body hashes, JSON columns, the push response),
through orjson.

A push serialises every entry several times; the standard library spent a tenth of a push
doing it, orjson about a tenth of that. What orjson refuses but the standard library accepts
(integers past 64 bits, NaN) goes to the standard library, so such input still gets its
field-level answers from the schemas rather than a parse error or a crash.

Request bodies are first held to MAX_DEPTH: the standard library's parser recurses once per
level, and "[" * 50000 ran it out of stack (a 500) on every endpoint.
"""

import json

import orjson

loads = orjson.loads

MAX_DEPTH = 64
TOO_DEEP = f"The request body is nested more than {MAX_DEPTH} levels deep."
_NOT_MARKS = bytes(b for b in range(256) if b not in b'"[]{}')
_ONE_BRACKET = bytes.maketrans(b"{}", b"[]")


class TooDeep(ValueError):
    pass


def check_nesting(body: bytes) -> None:
    """Raise TooDeep past MAX_DEPTH, or json.JSONDecodeError if the brackets do not balance.

    All in C, without parsing (the body of a push of 100 in 0.1 ms): drop escaped backslashes
    and quotes, keep only quotes and brackets, drop the strings, then peel the innermost pairs
    off once per level. Exact for any JSON; whatever it calls unbalanced is not JSON."""
    unescaped = body.replace(b"\\\\", b"").replace(b'\\"', b"") if b"\\" in body else body
    marks = unescaped.translate(_ONE_BRACKET, _NOT_MARKS).replace(b'""', b"")
    if b'"' in marks:  # a string holds a bracket: drop it with its string
        marks = b"".join(marks.split(b'"')[::2])
    for _ in range(MAX_DEPTH):
        peeled = marks.replace(b"[]", b"")
        if len(peeled) == len(marks):
            break
        marks = peeled
    if b"[]" in marks:
        raise TooDeep(TOO_DEEP)
    if marks:
        raise json.JSONDecodeError("Unbalanced brackets", body.decode("utf-8", "replace"), 0)


def canonical(value) -> bytes:
    """One byte string per JSON value whatever its key order: what an op's body hash is over.
    (Non-ASCII text is hashed as UTF-8, where the first releases hashed \\u escapes.)"""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
    except orjson.JSONEncodeError:  # an integer beyond 64 bits, or a lone surrogate (the op is
        # then refused, but its hash still answers a retry), which json.loads accepts
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
            "utf-8", "surrogatepass"
        )


def dumps(value) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)


def db_dumps(value) -> str:
    """The engine's serialiser for JSON columns (int keys become strings, as json.dumps did)."""
    return dumps(value).decode()
