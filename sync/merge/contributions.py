"""What one head entry version adds to the projections: fixed amounts, so taking a replaced
version's amounts away and adding its successor's gives exactly what a rebuild would.

Entry versions arrive as plain dicts (the push path's planned rows, or rows read back), with
keys kind, deleted, group_id, core, answers, date, school_id, template_id, template_version.
"""

from dataclasses import dataclass, field

from schemas.scale_words import rating
from schemas.templates import SAFEGUARDING_TAG, all_questions
from sync.templates import find_definition

# GroupStats columns a session adds to, in this order.
GROUP_COLUMNS = ("sessions_delivered", "sessions_as_planned", "minutes_delivered")
# EnrolmentStats columns an attendance row adds to, in this order.
PUPIL_COLUMNS = (
    "sessions_present",
    "sessions_late",
    "sessions_absent",
    "minutes_received",
    "engagement_total",
    "engagement_count",
)
STATUS_INDEX = {"present": 0, "late": 1, "absent": 2}
ABSENT = STATUS_INDEX["absent"]
RAG_SCORES = {"red": 0, "amber": 50, "green": 100}
FACE_POINTS = {"faces3": 3, "faces5": 5}


@dataclass
class Deltas:
    """Summed changes for one batch (or a rebuild), keyed like the projection tables."""

    groups: dict = field(default_factory=dict)  # group_id -> [GROUP_COLUMNS]
    pupils: dict = field(default_factory=dict)  # (group_id, pupil_id) -> [PUPIL_COLUMNS]
    voice: dict = field(default_factory=dict)  # entry_id -> VoicePoint row
    dates: dict = field(default_factory=dict)  # group_id -> [first, last] of added sessions
    # Groups that lost a session version: their first/last dates must be recomputed, since a
    # MIN/MAX cannot be "subtracted". Added sessions only widen the range, which is exact.
    shrunk: set = field(default_factory=set)

    def copy(self) -> "Deltas":
        return Deltas(
            {k: list(v) for k, v in self.groups.items()},
            {k: list(v) for k, v in self.pupils.items()},
            dict(self.voice),
            {k: list(v) for k, v in self.dates.items()},
            set(self.shrunk),
        )

    def add(self, session, entry_id: str, row: dict, sign: int) -> None:
        if row.get("deleted"):
            return
        if row["kind"] == "session_record":
            self.add_session(row, sign)
        elif row["kind"] == "pupil_voice" and sign > 0:
            point = voice_point(session, entry_id, row)
            if point:
                self.voice[entry_id] = point

    def add_session(self, row: dict, sign: int) -> None:
        # The rebuild runs this for every session record in a school: keep it to plain list
        # arithmetic, no helper calls per attendance row.
        core, group_id = row["core"], row["group_id"]
        minutes = core["minutes_delivered"]
        if sign < 0:
            self.shrunk.add(group_id)
        else:
            self._widen(group_id, row["date"])
        totals = self.groups.get(group_id) or self.groups.setdefault(group_id, [0, 0, 0])
        totals[0] += sign
        totals[1] += sign if core["delivered_as_planned"] else 0
        totals[2] += sign * minutes
        pupils = self.pupils
        for mark in core["attendance"]:
            key = (group_id, mark["pupil_id"])
            counts = pupils.get(key) or pupils.setdefault(key, [0, 0, 0, 0, 0, 0])
            status = STATUS_INDEX[mark["status"]]
            counts[status] += sign
            if status != ABSENT:
                counts[3] += sign * minutes
                engagement = mark.get("engagement")
                if engagement is not None:
                    counts[4] += sign * engagement
                    counts[5] += sign

    def _widen(self, group_id: int, day) -> None:
        span = self.dates.get(group_id)
        if span is None:
            self.dates[group_id] = [day, day]
        elif day < span[0]:
            span[0] = day
        elif day > span[1]:
            span[1] = day


def _normalised(question: dict, value) -> float | None:
    """A rating answer on 0-1; anything that is not a rating (text, safe/worried ...) is None."""
    qtype = question.get("type")
    if isinstance(value, bool):
        return None
    if qtype in FACE_POINTS and isinstance(value, int):
        return (value - 1) / (FACE_POINTS[qtype] - 1)
    if qtype == "rag" and value in RAG_SCORES:
        return RAG_SCORES[value] / 100
    if qtype == "scale" and isinstance(value, (int, float)):
        return (value - question["min"]) / (question["max"] - question["min"])
    return None


def _rated_questions(definition: dict) -> list[dict]:
    """Questions whose ratings a voice point may carry. A safeguarding-tagged rating ("how safe
    do you feel?" on faces) goes to the safeguarding lead only, never onto a map staff read."""
    return [q for q in all_questions(definition) if SAFEGUARDING_TAG not in q.get("tags", ())]


def voice_score(definition: dict, answers: dict) -> int | None:
    """Mean of the face, RAG and numbered-scale answers, on 0-100; None if none were given."""
    ratings = [
        r
        for q in _rated_questions(definition)
        if (r := _normalised(q, answers.get(q["id"]))) is not None
    ]
    return round(100 * sum(ratings) / len(ratings)) if ratings else None


NOT_RATED = {"scale_type": None, "scale": None, "position": None, "face": None}


def chosen(definition: dict, answers: dict) -> dict:
    """The first rating the pupil gave, in template order (every built-in form opens with "How do
    you feel about school?"), as they chose it: scale, position and its words."""
    for question in _rated_questions(definition):
        picked = rating(question, answers.get(question["id"]))
        if picked:
            return picked
    return NOT_RATED


def voice_point(session, entry_id: str, row: dict) -> dict | None:
    definition = find_definition(
        session, row["school_id"], row["template_id"], row["template_version"]
    )
    score = voice_score(definition, row["answers"]) if definition else None
    if score is None:
        return None
    core = row["core"]
    return {
        **chosen(definition, row["answers"]),
        "entry_id": entry_id,
        "school_id": row["school_id"],
        "pupil_id": core["pupil_id"],
        "group_id": core.get("group_id"),
        "date": row["date"],
        "score": score,
        "context": core["context"],
    }
