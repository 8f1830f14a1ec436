"""DfE and project code lists (reference/send-mis-standards.md §2, FORMS.md §6-7)."""

ROLES = ("admin", "senco", "teacher", "ta", "viewer")

# SEN provision: N no SEN, K SEN support, E EHC plan.
SEN_PROVISION = {"N": "No special educational need", "K": "SEN support", "E": "EHC plan"}
# Legacy codes still found in old CTFs and MIS exports, mapped on import.
LEGACY_SEN_PROVISION = {"S": "E", "A": "K", "P": "K"}

BROAD_AREAS = {
    "CI": "Communication and interaction",
    "CL": "Cognition and learning",
    "SEMH": "Social, emotional and mental health",
    "SP": "Sensory and/or physical",
}

# Census SENtype codes, each under its Code of Practice broad area. NSA has no area.
NEED_TYPES = {
    "SPLD": ("Specific learning difficulty", "CL"),
    "MLD": ("Moderate learning difficulty", "CL"),
    "SLD": ("Severe learning difficulty", "CL"),
    "PMLD": ("Profound and multiple learning difficulty", "CL"),
    "SEMH": ("Social, emotional and mental health", "SEMH"),
    "SLCN": ("Speech, language and communication needs", "CI"),
    "ASD": ("Autistic spectrum disorder", "CI"),
    "HI": ("Hearing impairment", "SP"),
    "VI": ("Vision impairment", "SP"),
    "MSI": ("Multi-sensory impairment", "SP"),
    "PD": ("Physical disability", "SP"),
    "OTH": ("Other difficulty", None),
    "NSA": ("SEN support but no specialist assessment of type of need", None),
}

GENDERS = {"M": "Male", "F": "Female", "U": "Unknown"}

# CTF NCyearActual values used in primary and secondary schools.
YEAR_GROUPS = ("N1", "N2", "R") + tuple(str(n) for n in range(1, 15)) + ("X",)

MEASURE_TYPES = {
    "standardised_score": "Standardised score",
    "reading_age": "Reading age (years.months)",
    "sub_level": "Sub-level (c < b < a)",
    "leuven": "Leuven well-being and involvement (1-5 each)",
    "custom_scale": "Custom numeric scale",
    "qualitative": "Qualitative note",
}

FUNDING_SOURCES = {
    "notional_sen": "Notional SEN budget",
    "pupil_premium": "Pupil premium",
    "top_up": "High-needs top-up",
    "personal_budget": "Personal budget",
}

# How an enrolment ended (issue 14): the structured outcome beside the free-text note.
OUTCOMES = {
    "met": "Target met",
    "partly_met": "Partly met",
    "not_met": "Not met",
    "stopped": "Stopped early",
}

# The school days a group can run on.
WEEKDAYS = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
}
