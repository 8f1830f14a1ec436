"""Is a new password strong enough? A short offline deny-list first, then zxcvbn's estimate.

zxcvbn (Dropbox's estimator, the `zxcvbn` package) scores a password 0-4 by how many guesses it
would take, knowing common passwords, names, keyboard walks, repeats, sequences and dates. We
refuse anything below 3 ("safely unguessable": about 10^8 guesses or more), and say why in
plain words. The deny-list catches what a school is likely to choose that zxcvbn alone may
let through: the school's own words with a year on the end.
"""

import re

from marshmallow import ValidationError
from zxcvbn import zxcvbn

MIN_SCORE = 3
# Lower-case; a password is refused when, with digits and symbols stripped from its ends, it
# is one of these. Kept short on purpose: zxcvbn knows the top 30,000 passwords already.
DENY = frozenset(
    """password passw0rd letmein welcome qwerty qwertyuiop iloveyou sunshine football
    monkey dragon princess trustno1 changeme school teacher teaching senco sendco safeguarding
    headteacher classroom pupil pupils student students primary academy admin administrator
    summer winter autumn spring""".split()
)
EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")


def password_problem(password: str, user_inputs: tuple[str, ...] = ()) -> str | None:
    """A plain-English reason to refuse the password, or None if it is strong enough."""
    core = EDGES.sub("", password.lower())
    if core in DENY or len(set(password)) < 4:
        return "This password is too easy to guess. Use three or four unrelated words."
    result = zxcvbn(password[:100], user_inputs=[u for u in user_inputs if u])
    if result["score"] >= MIN_SCORE:
        return None
    feedback = result["feedback"]
    why = feedback.get("warning") or "It would not take long to guess."
    tip = " ".join(feedback.get("suggestions") or []) or "Use three or four unrelated words."
    return f"This password is too easy to guess. {why} {tip}"


def strong_enough(password: str) -> bool:
    """A marshmallow validator: raises with the reason."""
    problem = password_problem(password)
    if problem:
        raise ValidationError(problem)
    return True
