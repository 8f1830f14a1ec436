"""The subject-access ZIP: summary.html (for a person), data.json (the same, whole) and the
pupil's photos and drawings. Shared by GET /api/v1/pupils/<id>/export and `flask pupil export`.
"""

import io
import json
import os
import zipfile
from datetime import date

from flask import current_app, render_template
from sqlalchemy import select

from schemas import jsonio
from server.models import Attachment, Pupil, School
from sync import pupil_export
from sync.print_words import humane, long_day


def build(session, pupil: Pupil, include_concerns: bool) -> tuple[bytes, dict]:
    """The ZIP's bytes, and counts for the audit row (numbers only, never content)."""
    data = pupil_export.gather(session, pupil, include_concerns)
    photos = _photos(session, pupil.school_id, data["attachments"])
    html = render_template(
        "export/pupil.html",
        d=data,
        p=data["pupil"],
        files={sha: name for sha, (name, _) in photos.items()},
        school=session.get(School, pupil.school_id).name,
        made_on=long_day(date.today()),
        day=lambda value: long_day(str(value)[:10]) if value else "",
        year=lambda y: {"R": "Reception", "N1": "Nursery 1", "N2": "Nursery 2"}.get(y, f"Year {y}"),
        words=humane,
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("summary.html", html)
        archive.writestr("data.json", json.dumps(json.loads(jsonio.dumps(data)), indent=2))
        for name, path in photos.values():
            archive.write(path, f"photos/{name}")
    counts = {
        "records": len(data["records"]),
        "photos": len(photos),
        "concerns": len(data["concerns"] or []),
        "with_concerns": include_concerns,
    }
    return out.getvalue(), counts


def _photos(session, school_id: int, hashes: list[str]) -> dict:
    """sha -> (file name in the ZIP, path on disk), for the photos whose files are there."""
    if not hashes:
        return {}
    rows = session.scalars(
        select(Attachment).where(Attachment.school_id == school_id, Attachment.sha256.in_(hashes))
    )
    found = {}
    for row in rows:
        path = os.path.join(current_app.config["ATTACHMENTS_DIR"], row.path)
        if os.path.isfile(path):
            found[row.sha256] = (os.path.basename(row.path), path)
    return found
