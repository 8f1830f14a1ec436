"""A rating answer in the words of the scale it was given on (FORMS.md §6, schemas/forms/scales.json).

A pupil who tapped "Happy" on three faces said "Happy", not "Very happy": whatever reads a rating
back (the provision map's voice trend, passport suggestions, print) takes its words from here,
by the scale the question used and the position chosen on it, never from a score.
"""

from functools import cache

from schemas.templates import scales

FACE_TYPES = ("faces3", "faces5")


@cache
def _words(scale_type: str) -> tuple[str, ...]:
    return tuple(point["word"] for point in scales()[scale_type])


@cache
def rag_points() -> dict[str, dict]:
    """RAG value -> its word and shape: colour is never the only cue."""
    return {point["value"]: point for point in scales()["rag"]}


def rating(question: dict, value) -> dict | None:
    """{scale_type, scale, position, face} for a face, RAG or numbered-scale answer: the number of
    points on the scale, the one chosen (1 = the lowest) and its words. None for anything else."""
    qtype = question.get("type")
    if isinstance(value, bool):
        return None
    if qtype in FACE_TYPES and isinstance(value, int):
        words = _words(qtype)
        if 1 <= value <= len(words):
            return {
                "scale_type": qtype,
                "scale": len(words),
                "position": value,
                "face": words[value - 1],
            }
    if qtype == "rag" and value in rag_points():
        order = list(rag_points())
        return {
            "scale_type": "rag",
            "scale": len(order),
            "position": order.index(value) + 1,
            "face": rag_points()[value]["word"],
        }
    if qtype == "scale" and isinstance(value, (int, float)):
        low, high = int(question["min"]), int(question["max"])
        if low <= value <= high:
            return {
                "scale_type": "scale",
                "scale": high - low + 1,
                "position": int(value - low) + 1,
                "face": f"{value:g} out of {high}",
            }
    return None
