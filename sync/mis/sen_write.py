"""Writing a roster row's SEN record onto a pupil: only the fields the roster owns
(sync/mis/ownership.py), and only where the value really differs, so a re-import writes nothing."""

from datetime import date

from server.models import Pupil, PupilNeed, SenProvision
from sync.mis.ownership import RosterOwners
from sync.mis.rules import CleanRow


def _sync_sen(pupil: Pupil, code: str, start: date | None, today: date) -> bool:
    """One open provision at a time: a new code closes the old record and opens another."""
    current = pupil.current_provision
    if code == (current.code if current else "N"):
        return False
    when = start or today
    if current:
        current.end_date = when
    if code != "N" or start:
        pupil.provisions.append(SenProvision(school_id=pupil.school_id, code=code, start_date=when))
    return True


def _new_history(pupil: Pupil, history: list[dict]) -> bool:
    """A pupil new to the app takes the file's whole SEN history, closed records too, so our own
    export read back into a fresh school gives the same record. A dateless N means no SEN."""
    records = [h for h in history if h["start_date"] is not None]
    pupil.provisions = [
        SenProvision(
            school_id=pupil.school_id,
            code=h["code"],
            start_date=h["start_date"],
            end_date=h["end_date"],
        )
        for h in sorted(records, key=lambda h: (h["start_date"], h["end_date"] is None))
    ]
    return bool(records)


def _sync_needs(pupil: Pupil, needs: list[tuple[str, int]]) -> bool:
    """Edit needs in place, rank by rank: replacing the list would insert a rank before the
    old row with that rank is deleted and trip the (pupil, rank) unique constraint."""
    by_rank = {need.rank: need for need in pupil.needs}
    changed = False
    for need_type, rank in needs:
        if rank not in by_rank:
            pupil.needs.append(PupilNeed(school_id=pupil.school_id, need_type=need_type, rank=rank))
            changed = True
        elif by_rank[rank].need_type != need_type:
            by_rank[rank].need_type, changed = need_type, True
    for rank in set(by_rank) - {rank for _, rank in needs}:
        pupil.needs.remove(by_rank[rank])
        changed = True
    return changed


def write_sen(pupil: Pupil, row: CleanRow, owners: RosterOwners, today: date) -> bool:
    """Apply the row's SEN status and needs where the roster owns them; True if anything
    changed. A change makes the MIS the field's last writer."""
    allowed = owners.writable(pupil, row)
    changed = False
    if "sen_provision" in allowed:
        if pupil.id is None:
            wrote = _new_history(pupil, row.history)
        else:
            wrote = _sync_sen(pupil, row.sen_code, row.sen_start, today)
        if wrote:
            owners.written(pupil, "sen_provision")
        changed |= wrote
    if "needs" in allowed and _sync_needs(pupil, row.needs):
        owners.written(pupil, "needs")
        changed = True
    return changed
