"""Safeguarding routing: a worried or unsafe pupil-voice answer, or a staff flag, raises a concern."""

from server.models import Concern
from sync import templates


def reasons_for(session, row: dict) -> list[str]:
    core, reasons = row["core"], []
    if core.get("flagged_concern"):
        note = core.get("concern_note") or "no note given"
        reasons.append(f"Flagged by staff on a {row['kind'].replace('_', ' ')}: {note}")
    if row["kind"] == "pupil_voice":
        for prompt, value in templates.safeguarding_answers(session, row):
            reasons.append(f"Pupil answered {value.replace('_', ' ')!r} to {prompt!r}")
    return reasons


def concern_pupils(row: dict) -> list[int]:
    named = row["core"].get("concern_pupil_id")
    return [named] if named else sorted(set(row["pupil_ids"]))


def raise_for(batch, written: list[tuple[int, dict]]) -> None:
    """One concern per pupil per entry version that says something new, in the same
    transaction as the entry itself. A correction that leaves the worry as it was (a TA
    fixing the date of a voice entry they see cut) raises nothing twice."""
    for entry_pk, row in written:
        if row["deleted"]:
            continue
        reasons = reasons_for(batch.session, row)
        before = batch.plan.replaced.get(row["entry_id"])
        if not reasons or (
            before and not before["deleted"] and reasons_for(batch.session, before) == reasons
        ):
            continue
        for pupil_id in concern_pupils(row):
            batch.session.add(
                Concern(
                    school_id=row["school_id"],
                    pupil_id=pupil_id,
                    entry_pk=entry_pk,
                    reason="\n".join(reasons),
                )
            )
