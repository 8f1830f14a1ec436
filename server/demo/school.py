"""The demo school itself: its terms, staff accounts in every role, and seven classes."""

from datetime import date

from server.extensions import db
from server.models import School, SchoolClass, Staff, Term

SCHOOL_NAME = "Meadowbank Primary (demo)"
LA = "825"
ESTAB = "2001"
DFE_NUMBER = LA + ESTAB
DOMAIN = "meadowbank.demo"
PASSWORD = "demo-password-2026"

# (class name, year group, teacher name); Reception is "R", as in the CTF NCyearActual.
CLASSES = [
    ("Wrens", "R", "Sophie Hartley"),
    ("Robins", "1", "Daniel Kerr"),
    ("Owls", "2", "Amira Qureshi"),
    ("Kestrels", "3", "Laura Penrose"),
    ("Herons", "4", "James Whitaker"),
    ("Falcons", "5", "Nadia Kowalczyk"),
    ("Kingfishers", "6", "Gareth Lloyd-Evans"),
]

# Quality-first teaching every class offers, the header of each class provision map.
CLASSROOM_PROVISION = [
    "Visual timetable",
    "Word mats and working walls",
    "Talk partners",
    "Now and next boards",
    "Writing frames",
    "Ear defenders and a calm corner",
    "Pre-teaching of key vocabulary",
    "Coloured overlays on request",
]

# (email local part, name, role, job title)
OFFICE_STAFF = [
    ("admin", "Helen Garside", "admin", "School business manager"),
    ("senco", "Ruth Okonjo", "senco", "SENCO and designated safeguarding lead"),
    ("head", "Martin Ashdown", "viewer", "Headteacher"),
    ("ta1", "Jo Pritchard", "ta", "Higher level teaching assistant"),
    ("ta2", "Sam Dooley", "ta", "Teaching assistant"),
    ("ta3", "Bushra Akhtar", "ta", "Teaching assistant (ELSA)"),
    ("ta4", "Kelly Marsden", "ta", "Teaching assistant"),
    ("ta5", "Lydia Fenwick", "ta", "Teaching assistant"),
]


def teacher_email(year_group: str) -> str:
    return (
        ("teacher.reception" if year_group == "R" else f"teacher.year{year_group}") + "@" + DOMAIN
    )


def demo_accounts() -> list[tuple[str, str, str]]:
    """(role, email, name) of every login the demo creates, in the order the command prints them."""
    office = [(role, f"{local}@{DOMAIN}", name) for local, name, role, _ in OFFICE_STAFF]
    teachers = [("teacher", teacher_email(year), name) for _, year, name in CLASSES]
    return office[:3] + teachers + office[3:]


def build_school(password_hash: str, terms: list[tuple[str, date, date]]) -> dict:
    """Create the school, its half-terms (server/demo/calendar.py), staff and classes; returns
    what later steps need."""
    school = School(name=SCHOOL_NAME, dfe_number=DFE_NUMBER)
    db.session.add(school)
    db.session.flush()
    db.session.add_all(
        Term(school_id=school.id, name=name, starts_on=start, ends_on=end)
        for name, start, end in terms
    )
    staff = {
        local: Staff(
            school_id=school.id,
            name=name,
            email=f"{local}@{DOMAIN}",
            role=role,
            job_title=title,
            password_hash=password_hash,
            is_dsl=(role == "senco"),
        )
        for local, name, role, title in OFFICE_STAFF
    }
    classes = {}
    for class_name, year, teacher_name in CLASSES:
        title = "Reception teacher" if year == "R" else f"Year {year} teacher"
        teacher = Staff(
            school_id=school.id,
            name=teacher_name,
            email=teacher_email(year),
            role="teacher",
            job_title=title,
            password_hash=password_hash,
        )
        offset = len(classes)
        classes[year] = SchoolClass(
            school_id=school.id,
            name=class_name,
            year_group=year,
            teachers=[teacher],
            classroom_provision=[CLASSROOM_PROVISION[(offset + n) % 8] for n in range(4)],
        )
    db.session.add_all(list(staff.values()) + list(classes.values()))
    db.session.flush()
    return {
        "school": school,
        "classes": classes,
        "tas": [staff[f"ta{n}"] for n in range(1, 6)],
        "senco": staff["senco"],
    }
