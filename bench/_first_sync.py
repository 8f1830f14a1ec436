"""A tablet's first sync in a big school (issue 16), for `bench/pwa.py --first-sync`: a SENCO of
a 1,500-pupil school with three school years of records logs in on a fresh Chromium profile
with 4x CPU throttling; timed from pressing "Log in" until the app has pulled every page into
IndexedDB (its `last_pull` mark), then the origin's storage is read.

The school is generated straight into the database as bench/merge.py does (150 groups of 8,
about 31,000 session records and 3,000 pupil-voice entries a year, spread over the school days
of the nine terms from spring 2024 to this one), each entry given its own place in the change order.
"""

import random
import sys
import time
import uuid
from argparse import Namespace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _seed import log  # noqa: E402

STATUSES = ["present"] * 6 + ["late", "absent"]
NOTES = ["Good focus", "Needed prompts", "Used the visual timetable", "Tired today", ""]


def terms() -> list[tuple[str, date, date]]:
    out = []
    for year in (2023, 2024, 2025, 2026):
        if year > 2023:
            out.append((f"Autumn {year}", date(year, 9, 4), date(year, 12, 19)))
        if year < 2026:
            out.append((f"Spring {year + 1}", date(year + 1, 1, 6), date(year + 1, 3, 28)))
            out.append((f"Summer {year + 1}", date(year + 1, 4, 14), date(year + 1, 7, 22)))
    return out


def school_days(until: date) -> list[date]:
    days = []
    for _, start, end in terms():
        day = start
        while day <= min(end, until):
            if day.weekday() < 5:
                days.append(day)
            day += timedelta(days=1)
    return days


def seed(db, pupils: int, groups: int, per_year: int, voices_per_year: int) -> dict:
    from merge import row_base
    from merge import seed as merge_seed
    from werkzeug.security import generate_password_hash

    from server.models import Entry, Staff, Term
    from server.models.sequence import next_seqs
    from tests.support import PASSWORD
    from tests.sync_support import SESSION_TEMPLATE, VOICE_TEMPLATE

    info = merge_seed(db, Namespace(pupils=pupils, groups=groups))
    senco = db.session.get(Staff, info["senco"])
    senco.password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    db.session.add_all(
        Term(school_id=info["school_id"], name=n, starts_on=s, ends_on=e) for n, s, e in terms()
    )
    db.session.commit()
    rng, now = random.Random(16), datetime.now(UTC)
    days = school_days(date.today() - timedelta(days=1))
    years = len(days) / 190
    sessions, voices = int(per_year * years), int(voices_per_year * years)
    group_ids = sorted(info["members"])
    base = row_base(info, now)
    rows = []
    for n in range(sessions + voices):
        gid, day = rng.choice(group_ids), rng.choice(days)
        members = info["members"][gid]
        if n < sessions:
            core = {
                "group_id": gid,
                "date": day.isoformat(),
                "minutes_delivered": rng.choice([20, 30, 30]),
                "delivered_as_planned": rng.random() < 0.8,
                "attendance": [
                    {
                        "pupil_id": p,
                        "status": rng.choice(STATUSES),
                        "engagement": rng.randint(1, 5),
                        "note": rng.choice(NOTES),
                    }
                    for p in members
                ],
            }
            kind, template, pupil_ids, answers = "session_record", SESSION_TEMPLATE, members, {}
        else:
            pid = rng.choice(members)
            core = {
                "pupil_id": pid,
                "date": day.isoformat(),
                "mode": "independent",
                "context": "termly_review",
                "group_id": gid,
            }
            kind, template, pupil_ids = "pupil_voice", VOICE_TEMPLATE, [pid]
            answers = {"feel_school": rng.randint(1, 3)}
        rows.append(
            {
                **base,
                "entry_id": str(uuid.uuid4()),
                "kind": kind,
                "template_id": template["id"],
                "template_version": 1,
                "group_id": gid,
                "pupil_ids": pupil_ids,
                "date": day,
                "core": core,
                "answers": answers,
            }
        )
    rows.sort(key=lambda r: r["date"])  # written as the years went by
    stamps = next_seqs(db.session, info["school_id"], len(rows))
    for row, seq in zip(rows, stamps.seqs):
        row["server_xid"], row["server_seq"] = stamps.xid, seq
    for start in range(0, len(rows), 5000):
        db.session.execute(Entry.__table__.insert(), rows[start : start + 5000])
    db.session.commit()
    log(f"seeded {sessions} session records and {voices} voice entries over {years:.1f} years")
    return {
        "school_id": info["school_id"],
        "sessions": sessions,
        "voices": voices,
        "years": round(years, 1),
        "email": senco.email,
    }


WAIT_PULLED = """() => import('/js/db.js').then((db) => db.getMeta('last_pull')).then((v) => !!v)"""
STORAGE = """async () => {
  const estimate = await navigator.storage.estimate();
  const db = await import('/js/db.js');
  return { usage: estimate.usage, details: estimate.usageDetails || null,
           entries: (await db.getRecords('entry')).length };
}"""


def measure(browser, url: str, email: str, throttle: int = 4) -> dict:
    from tests.support import PASSWORD

    context = browser.new_context(
        base_url=url, viewport={"width": 768, "height": 1024}, bypass_csp=True
    )
    page = context.new_page()
    context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": throttle})
    page.goto("/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    started = time.perf_counter()
    page.get_by_role("button", name="Log in").click()
    # Polled from here: wait_for_function takes a returned Promise as a truthy value.
    while not page.evaluate(WAIT_PULLED):
        if time.perf_counter() - started > 900:
            raise RuntimeError("the first sync did not finish in 15 minutes")
        time.sleep(0.1)
    seconds = time.perf_counter() - started
    stored = page.evaluate(STORAGE)
    context.close()
    mb = 1024 * 1024
    details = stored["details"] or {}
    return {
        "seconds": round(seconds, 2),
        "stored_mb": round(stored["usage"] / mb, 1),
        "indexeddb_mb": round(details["indexedDB"] / mb, 1) if "indexedDB" in details else None,
        "entries_on_device": stored["entries"],
        "cpu_throttling": throttle,
    }
