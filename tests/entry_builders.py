"""Full, realistic conversation and learning-walk ops (every name made up), for the REST list and
the print views: built on tests/sync_support.py's entry_op, pushed through the real API."""

from tests.sync_support import entry_op

CONVERSATION = {"id": "conversation-structured", "version": 1}
WALK = {"id": "lw-inclusive-classroom", "version": 1}
LOOK_FORS = (
    "visual_timetables",
    "peer_mentoring",
    "grouping_for_support",
    "writing_frames",
    "visual_cues",
)

CONVERSATION_ANSWERS = {
    "parent_perspective": (
        "Mum feels mornings are the hardest part of the day: getting into the classroom after "
        "the bell is stressful, and by break time she is often tired and tearful. At home she "
        "talks happily about art club and her friend in Year 5."
    ),
    "does_well": (
        "Drawing and making things; she is kind to younger children and remembers stories in "
        "great detail when they are read aloud."
    ),
    "barriers": (
        "Reading long instructions on the board; noisy transitions between lessons; writing "
        "more than a few sentences without a frame to follow."
    ),
    "parent_knowledge": (
        "She copes better when she knows what is coming next. A picture timetable on the "
        "fridge has helped at weekends."
    ),
    "progress_feedback": (
        "Her phonics has moved on a full phase since September and she now joins in with "
        "group reading. Her teacher has noticed her confidence growing in maths."
    ),
    "progress_outcomes": (
        "She is working towards the expected standard in reading; we are aiming for her to "
        "read a short text independently and answer simple questions about it."
    ),
    "priorities": "Calmer starts to the day, and reading instructions without adult help.",
    "desired_outcomes": (
        "Comes into class calmly most mornings; reads and follows a three-step instruction."
    ),
    "stretching_targets": "Two targets agreed below, reviewed before February half term.",
    "wellbeing_goals": "A morning job (handing out the fruit) to give her a reason to come in.",
    "aspirations": "She wants to be an illustrator; Mum would love her to enjoy books.",
    "summary": (
        "We agreed a calmer start to the day with a morning job and a visual timetable on her "
        "desk, and daily reading practice with a writing frame for longer tasks."
    ),
    "next_steps": "Class teacher to set up the timetable; Mum to share reading diary weekly.",
}


def conversation_op(seq: int, pupil_id: int, day: str = "2026-12-02", **kwargs) -> dict:
    core = {
        "pupil_id": pupil_id,
        "date": day,
        "attendees": [
            {"name": "Mrs Amber Lane", "role": "parent"},
            {"name": "Mr Robin Lane", "role": "carer"},
            {"name": "Ms Home Teacher", "role": "key_teacher"},
            {"name": "Mrs Senco Person", "role": "senco"},
        ],
        "pupil_participation": "present_for_part",
        "targets": [
            {
                "wording": "To come into class calmly and start her morning job by 8.50am.",
                "success_criteria": "Four mornings out of five over two weeks, recorded by TA.",
                "review_date": "2027-02-10",
            },
            {
                "wording": "To read and follow a three-step written instruction on her own.",
                "success_criteria": "Three times in a week in English lessons.",
                "review_date": "2027-02-10",
            },
        ],
        "actions": [
            {
                "action": "Make a visual timetable for her desk",
                "owner": "Class teacher",
                "due_date": "2026-12-07",
            },
            {"action": "Share the reading diary every Friday", "owner": "Mum"},
            {
                "action": "Book a follow-up meeting",
                "owner": "SENCO",
                "due_date": "2027-01-15",
            },
        ],
        "keep_in_touch": "A short note in the home-school book every Friday.",
        "next_meeting": "2027-02-10",
        "duration_minutes": 40,
        "staff_informed_at": "2026-12-02T15:30:00+00:00",
        "parent_acknowledged": False,
    }
    core.update(kwargs.pop("core", {}))
    answers = {**CONVERSATION_ANSWERS, **kwargs.pop("answers", {})}
    return entry_op(seq, "conversation", core, answers, template=CONVERSATION, **kwargs)


STOPS = [
    ("Oak", "09:10", "whole_class", ("green", "amber", "green", "red", "green")),
    ("Ash", "09:35", "small_group", ("amber", "amber", "green", "amber", "green")),
    (None, "10:00", "one_to_one", ("green", "green", "amber", "green", "amber")),
    ("Oak", "10:25", "whole_class", ("red", "amber", "amber", "red", "amber")),
    (None, "11:15", "unstructured", ("amber", "green", "green", "amber", "green")),
    ("Ash", "11:40", "small_group", ("green", "green", "green", "green", "green")),
]
NOTES = {
    "red": "Not seen during the visit; discussed with the class teacher afterwards.",
    "amber": "In place but not used consistently by all pupils.",
    "green": "Used well: pupils referred to it without prompting.",
}


def walk_op(seq: int, classes: dict, day: str = "2026-12-01", **kwargs) -> dict:
    """Six stops across classes and areas, every look-for judged with a note."""
    names = {"Oak": classes["mine"], "Ash": classes["other"]}
    stops = []
    for n, (room, time, context, rags) in enumerate(STOPS):
        stop = {"time": time, "context": context}
        if room:
            stop["class_id"] = names[room]
        else:
            stop["area"] = "Library corner" if n == 2 else "Playground"
        stop["judgements"] = [
            {"look_for": look_for, "rag": rag, "note": NOTES[rag], "evidence_type": "observed"}
            for look_for, rag in zip(LOOK_FORS, rags)
        ]
        stops.append(stop)
    core = {
        "date": day,
        "purposes": ["monitor_practice", "promote_consistency"],
        "walkers": [
            {"name": "Mrs Senco Person", "role": "learning_teaching"},
            {"name": "Mr Governor Example", "role": "environment"},
        ],
        "stops": stops,
        "strengths": (
            "Visual timetables are in every room and pupils use them; grouping for support is "
            "planned and adults know which pupils they are working with."
        ),
        "areas_for_development": (
            "Writing frames are not yet used consistently; peer mentoring is new and needs "
            "time to settle."
        ),
        "actions": [
            {
                "action": "Share writing frames at staff meeting",
                "owner": "SENCO",
                "due_date": "2027-01-08",
            },
            {"action": "Revisit peer mentoring in Ash class", "owner": "Year 5 teacher"},
        ],
    }
    core.update(kwargs.pop("core", {}))
    return entry_op(seq, "learning_walk", core, {}, template=WALK, **kwargs)
