"""The demo's intervention catalogue and the blocks it runs: data only, no logic.

Each entry: the catalogue fields, then how its groups run (years, needs it suits, weekdays,
minutes, cost), the SMART targets a SENCO would write for it and the steps a TA notes per
session. Costs are in pence. BLOCKS says when each group ran, counted in teaching weeks back
from the week the demo is built, so the school looks the same mid-year whenever it is built.
"""

INTERVENTIONS = [
    dict(
        name="Talk Boost KS1",
        area_of_need="CI",
        measure_type="standardised_score",
        description="A 10-week targeted language programme for small groups of 4-7 year olds.",
        evidence_note="Manualised programme with published pre/post tracker; we check impact "
        "with the language screen standard score at entry and exit.",
        entry_criteria="Language screen standard score below 85; Reception to Year 2.",
        exit_criteria="Standard score 85 or above, or 10 weeks completed and reviewed.",
        exit_rule={"field": "score", "at_least": 85},
        years=("R", "1", "2"),
        needs=("SLCN", "ASD", "NSA"),
        size=4,
        sessions=3,
        minutes=30,
        weeks=10,
        ratio="1:4",
        pence=1450,
        resources=29500,
        funding="notional_sen",
        location="Library corner",
        targets=[
            "To answer 'why' questions about a short story using 'because'.",
            "To use sentences of six or more words when retelling a familiar story.",
            "To follow two-part instructions in class without a visual prompt.",
        ],
        success="Does this independently in 4 out of 5 observed opportunities.",
    ),
    dict(
        name="Precision Teaching: high-frequency words",
        area_of_need="CL",
        measure_type="custom_scale",
        description="Daily one-minute probes on a small set of words until fluent, then move on.",
        evidence_note="Tracked on the daily probe sheet; score is words read correctly in one "
        "minute from the Phase 2-5 list (out of 40).",
        entry_criteria="Reads fewer than 20 of the 40 target words correctly in one minute.",
        exit_criteria="30 or more correct in one minute on three consecutive probes.",
        exit_rule={"field": "score", "at_least": 30},
        years=("2", "3", "4"),
        needs=("SPLD", "MLD"),
        size=4,
        sessions=5,
        minutes=10,
        weeks=10,
        ratio="1:1",
        pence=1450,
        resources=0,
        funding="notional_sen",
        location="Year 3 corridor",
        targets=[
            "To read 30 of the 40 target words correctly within one minute.",
            "To read the current set of 8 words with no errors on three days running.",
        ],
        success="Three consecutive daily probes at or above the aim.",
    ),
    dict(
        name="Reading catch-up 1:1",
        area_of_need="CL",
        measure_type="reading_age",
        description="Structured one-to-one reading with a trained TA, modelled on Reading "
        "Recovery-style lessons: familiar reading, running record, new book.",
        evidence_note="Reading age from the termly standardised reading test; running records "
        "kept each session.",
        entry_criteria="Reading age at least 18 months below chronological age; Years 3-4.",
        exit_criteria="Reading age within 6 months of chronological age, or after 12 weeks.",
        years=("3", "4"),
        needs=("SPLD", "MLD", "SLCN"),
        size=3,
        sessions=3,
        minutes=30,
        weeks=12,
        ratio="1:1",
        pence=1650,
        resources=6000,
        funding="pupil_premium",
        location="Group room 1",
        targets=[
            "To increase reading age by at least 6 months by the review.",
            "To self-correct when a word does not make sense, in 3 of 4 running records.",
        ],
        success="Reading age gain of 6 months or more on the parallel test form.",
    ),
    dict(
        name="Lego-based therapy",
        area_of_need="CI",
        measure_type="leuven",
        description="Small-group collaborative building with the roles of engineer, supplier "
        "and builder to practise turn-taking and shared attention.",
        evidence_note="Leuven well-being and involvement scales (1-5) observed at the start "
        "and end of the block.",
        entry_criteria="Finds joint play and turn-taking hard; Leuven involvement 1-3.",
        exit_criteria="Leuven well-being and involvement both 4 or above for three sessions.",
        exit_rule={"field": "involvement", "at_least": 4},
        years=("3", "4", "5"),
        needs=("ASD", "SLCN", "SEMH"),
        size=3,
        sessions=1,
        minutes=45,
        weeks=12,
        ratio="1:3",
        pence=1450,
        resources=12000,
        funding="notional_sen",
        location="Nurture room",
        targets=[
            "To take turns in each of the three roles without adult prompting.",
            "To ask a peer for a brick using their name and a full sentence.",
        ],
        success="Seen in three consecutive sessions, recorded on the running record.",
    ),
    dict(
        name="Zones of Regulation",
        area_of_need="SEMH",
        measure_type="leuven",
        description="Weekly small group teaching the four zones and personal calming tools.",
        evidence_note="Leuven well-being and involvement (1-5) at entry and exit, plus the "
        "class teacher's behaviour log for the same weeks.",
        entry_criteria="Frequent dysregulation in class; Leuven well-being 1-3; Years 2-6.",
        exit_criteria="Uses a chosen tool independently; well-being 4 or above.",
        exit_rule={"field": "wellbeing", "at_least": 4},
        years=("2", "3", "4", "5", "6"),
        needs=("SEMH", "ASD"),
        size=5,
        sessions=1,
        minutes=30,
        weeks=10,
        ratio="1:5",
        pence=1450,
        resources=4500,
        funding="pupil_premium",
        location="Nurture room",
        targets=[
            "To name the zone they are in when asked, using the class chart.",
            "To choose and use a calming tool before leaving the classroom.",
        ],
        success="Does this on 4 of 5 days in the class teacher's log.",
    ),
    dict(
        name="Fine motor skills group",
        area_of_need="SP",
        measure_type="qualitative",
        description="Short daily activities to build grip, hand strength and pencil control.",
        evidence_note="Before and after samples of name writing and the fine motor checklist.",
        entry_criteria="Cannot yet hold a pencil with a tripod grip or cut along a line.",
        exit_criteria="Tripod grip held for a short writing task; cuts along a curved line.",
        years=("R", "1"),
        needs=("PD", "SPLD", "NSA", "MLD"),
        size=6,
        sessions=3,
        minutes=15,
        weeks=6,
        ratio="1:6",
        pence=1450,
        resources=3500,
        funding="notional_sen",
        location="Reception outdoor area",
        targets=[
            "To hold a pencil with a tripod grip to write their first name.",
            "To cut along a straight 15 cm line with scissors held correctly.",
        ],
        success="Seen in class work, not only in the group, on three occasions.",
    ),
    dict(
        name="Number Sense catch-up",
        area_of_need="CL",
        measure_type="sub_level",
        description="Concrete-pictorial-abstract work on place value and number facts.",
        evidence_note="Teacher-assessed sub-level (c < b < a) at entry and exit, as on our "
        "older provision maps, with the termly arithmetic test alongside.",
        entry_criteria="Working two or more sub-levels below the year-group expectation.",
        exit_criteria="Plus one sub-level, or secure with number bonds and times tables to 5.",
        years=("4", "5", "6"),
        needs=("MLD", "SPLD"),
        size=4,
        sessions=3,
        minutes=20,
        weeks=8,
        ratio="1:4",
        pence=1650,
        resources=2500,
        funding="notional_sen",
        location="Group room 2",
        targets=[
            "Plus one sub-level. To recall 2, 5 and 10 times tables confidently.",
            "Plus one sub-level. To partition two-digit numbers in different ways.",
        ],
        success="Correct in 9 of 10 mixed questions on two separate days.",
    ),
    dict(
        name="Social Stories",
        area_of_need="CI",
        measure_type="qualitative",
        description="Individual stories written with the pupil about a situation they find "
        "hard, read before it happens.",
        evidence_note="Qualitative notes from the TA and class teacher; ABC charts for the "
        "targeted situation before and after.",
        entry_criteria="A specific, predictable situation causing distress (e.g. assembly).",
        exit_criteria="Manages the situation with the story alone, or with no support.",
        years=("1", "2", "3", "4", "5", "6"),
        needs=("ASD", "SEMH", "SLCN"),
        size=3,
        sessions=2,
        minutes=15,
        weeks=8,
        ratio="1:1",
        pence=1450,
        resources=1000,
        funding="top_up",
        location="SENCO office",
        targets=[
            "To join whole-school assembly for at least 10 minutes after reading the story.",
            "To line up at the end of playtime with one visual reminder.",
        ],
        success="Achieved on 4 of 5 days, recorded by the class teacher.",
    ),
]

QUALITATIVE_ENTRY = {
    "Fine motor skills group": [
        "Palmar grip; tires after a few letters.",
        "Holds scissors upside down; snips but cannot follow a line.",
        "Switches hands; name letters poorly formed and very large.",
    ],
    "Social Stories": [
        "Leaves assembly within 2 minutes most days.",
        "Becomes distressed at the end of playtime; needs adult to line up.",
        "Refuses to enter the hall for lunch when it is noisy.",
    ],
}
FINE_MOTOR_EXIT = [
    "Tripod grip for name writing; letters now a more even size.",
    "Cuts along a straight line; curved lines still hard.",
    "Grip still changes between hands; some progress with pegboard tasks.",
]

# How each intervention's sessions run from week to week: weekdays (as many as its sessions a
# week), the time, the lesson pupils miss, and the steps a TA notes against each pupil.
SESSIONS = {
    "Talk Boost KS1": dict(
        days=("mon", "wed", "fri"),
        time="09:10",
        withdrawn="Phonics follow-up",
        steps=[
            "Listening game: what's in the bag?",
            "Describing pictures with 'and'",
            "Sequencing a three-part story",
            "Answering 'why' with 'because'",
        ],
    ),
    "Precision Teaching: high-frequency words": dict(
        days=("mon", "tue", "wed", "thu", "fri"),
        time="08:50",
        withdrawn="Registration",
        steps=["Set 1 words", "Set 2 words", "Set 3 words", "Mixed review"],
    ),
    "Reading catch-up 1:1": dict(
        days=("mon", "wed", "fri"),
        time="13:15",
        withdrawn="Guided reading",
        steps=["Familiar reread", "Running record", "New book introduced", "Word work"],
    ),
    "Lego-based therapy": dict(
        days=("tue",),
        time="14:00",
        withdrawn="Topic",
        steps=["Engineer role", "Supplier role", "Builder role", "Free build with roles"],
    ),
    "Zones of Regulation": dict(
        days=("wed",),
        time="14:30",
        withdrawn="PSHE",
        steps=["Naming the four zones", "My body clues", "Choosing a tool", "Tool toolbox"],
    ),
    "Fine motor skills group": dict(
        days=("mon", "wed", "fri"),
        time="10:45",
        withdrawn="Continuous provision",
        steps=[
            "Pegboard and tweezers",
            "Playdough squeeze",
            "Cutting straight lines",
            "Tripod grip",
        ],
    ),
    "Number Sense catch-up": dict(
        days=("tue", "wed", "thu"),
        time="11:00",
        withdrawn="Maths fluency",
        steps=["Place value with Dienes", "Number bonds to 20", "Partitioning", "2, 5, 10 facts"],
    ),
    "Social Stories": dict(
        days=("tue", "thu"),
        time="08:45",
        withdrawn="Early work",
        steps=["Read the story together", "Talk about the pictures", "Practise the moment"],
    ),
}

# The groups, counted in teaching weeks: `ago` is how many weeks before this one the block
# began; a block whose last week is over has ended, with exit data and outcomes. Most run on;
# one is past its mid-block review; one pupil leaves Talk Boost early, having met the target.
BLOCKS = [
    dict(name="Talk Boost KS1", ago=8, weeks=10, early_leaver=True),
    dict(name="Precision Teaching: high-frequency words", ago=15, weeks=6),
    dict(name="Precision Teaching: high-frequency words", ago=5, weeks=8),
    dict(name="Reading catch-up 1:1", ago=9, weeks=12),
    dict(name="Lego-based therapy", ago=9, weeks=12, review_after=8),
    dict(name="Zones of Regulation", ago=6, weeks=10),
    dict(name="Fine motor skills group", ago=13, weeks=6),
    dict(name="Fine motor skills group", ago=4, weeks=6),
    dict(name="Number Sense catch-up", ago=9, weeks=8),
    dict(name="Social Stories", ago=4, weeks=8),
]

# What a SENCO writes beside each structured outcome: what happens next.
OUTCOME_NOTES = {
    "met": [
        "Keep the same prompts going in class.",
        "Secure in class as well as in the group; no further support needed.",
        "Class teacher to keep the strategy on the working wall.",
    ],
    "partly_met": [
        "Repeat the block next half-term with a narrower target.",
        "Progress in the group, not yet seen in class; class teacher to prompt.",
    ],
    "not_met": [
        "SENCO to discuss next steps with parents.",
        "Little change; consider a different approach and an assessment.",
    ],
    "stopped": ["Moved to 1:1 support after a review with parents."],
}
