"""The pull window (issue 16): a first sync carries the entries of the school's last terms; the
window travels in the cursor, so paging and later pulls agree with what the device holds."""

from datetime import date

import pytest

from server.extensions import db
from server.models import SyncSettings, Term
from tests.sync_support import add_test_templates, voice_op
from tests.test_sync_pull import of_type, pull_all
from tests.test_sync_push import push

TODAY = date(2026, 12, 3)
# With the world's spare Autumn 2026 (3 Sep - 18 Dec) these make four terms.
TERMS = [
    ("Spring 2026", date(2026, 1, 5), date(2026, 3, 27)),
    ("Summer 2026", date(2026, 4, 13), date(2026, 7, 22)),
]
DAYS = ["2026-02-02", "2026-05-05", "2026-11-02"]  # spring, summer, autumn


@pytest.fixture
def home(app, world, monkeypatch):
    monkeypatch.setattr("sync.pull.today_in_london", lambda: TODAY)
    with app.app_context():
        school = world["home"]["school"]
        add_test_templates(school)
        db.session.add_all(
            Term(school_id=school, name=n, starts_on=s, ends_on=e) for n, s, e in TERMS
        )
        db.session.commit()
    return world["home"]


def _voice(seq, pupil, day):
    op = voice_op(seq, pupil)
    op["entry"]["core"]["date"] = day
    return op


@pytest.fixture
def entries(api, home):
    """One voice entry about pupil 1 in each of spring, summer and autumn; ids by day."""
    results = push(api("ta"), [_voice(n + 1, home["pupils"][0], d) for n, d in enumerate(DAYS)])
    return dict(zip(DAYS, (r["entry_id"] for r in results)))


def _entry_ids(changes):
    return {c["id"] for c in of_type(changes, "entry")}


def _set_terms(app, school, terms):
    with app.app_context():
        db.session.merge(SyncSettings(school_id=school, entry_terms=terms))
        db.session.commit()


def test_first_sync_takes_this_term_and_the_last(api, home, entries):
    senco = api("senco")
    first = senco.get("/api/v1/sync/pull").get_json()
    assert first["entries_from"] == "2026-04-13"
    changes, _, _ = pull_all(senco)
    assert _entry_ids(changes) == {entries["2026-05-05"], entries["2026-11-02"]}
    # People, groups and passports are not windowed.
    assert of_type(changes, "pupil") and of_type(changes, "group")
    # The older entry is read online.
    online = senco.get("/api/v1/entries/?date_to=2026-04-12").get_json()
    assert entries["2026-02-02"] in str(online)


def test_small_pages_agree_with_one_big_one(api, home, entries):
    big, _, _ = pull_all(api("senco"))
    small, _, resets = pull_all(api("senco"), limit=2)
    assert [(c["type"], c["id"]) for c in small] == [(c["type"], c["id"]) for c in big]
    assert resets[0] is True and not any(resets[1:])


def test_the_window_stays_with_the_device(api, app, home, entries):
    """Changes to entries the device holds reach it; an entry older than its window does not,
    even when it changes, and a later change of setting applies from its next first sync."""
    ta = api("ta")
    _, cursor, _ = pull_all(ta)
    fresh = push(ta, [_voice(10, home["pupils"][0], "2026-11-20")])[0]["entry_id"]
    _set_terms(app, home["school"], None)
    correction = _voice(11, home["pupils"][0], "2026-02-02")
    correction["entry"].update(entry_id=entries["2026-02-02"], base_rev=1)
    correction["entry"]["answers"]["feel_school"] = 2
    old = push(ta, [correction])
    assert old[0]["status"] == "accepted", old
    changes, _, resets = pull_all(ta, cursor)
    assert resets == [False]
    assert _entry_ids(changes) == {fresh}
    everything, _, _ = pull_all(ta)
    assert entries["2026-02-02"] in _entry_ids(everything)


def test_the_school_chooses_the_window(api, app, home, entries):
    _set_terms(app, home["school"], 1)
    changes, _, _ = pull_all(api("senco"))
    assert _entry_ids(changes) == {entries["2026-11-02"]}
    _set_terms(app, home["school"], None)
    page = api("senco").get("/api/v1/sync/pull").get_json()
    assert page["entries_from"] is None
    assert _entry_ids(pull_all(api("senco"))[0]) == set(entries.values())


def test_too_few_terms_recorded_means_every_entry(api, app, home, entries):
    _set_terms(app, home["school"], 6)
    assert _entry_ids(pull_all(api("senco"))[0]) == set(entries.values())


def test_older_cursors_keep_every_entry(api, home, entries):
    senco = api("senco")
    _, cursor, _ = pull_all(senco)
    version, xid, seq, print_, window = cursor.split("-")
    assert (version, window) == ("v3", "20260413")
    changes, _, resets = pull_all(senco, f"v2-0-0-{print_}")
    assert resets == [False]
    assert _entry_ids(changes) == set(entries.values())


@pytest.mark.parametrize("window", ["2026041", "yesterday", "20261399", ""])
def test_a_window_not_ours_is_a_422(api, home, window):
    senco = api("senco")
    _, cursor, _ = pull_all(senco)
    bad = "-".join(cursor.split("-")[:4] + [window])
    response = senco.get(f"/api/v1/sync/pull?since={bad}")
    assert response.status_code == 422
    assert "since" in response.get_json()["errors"]


def test_flask_sync_window_sets_and_shows_it(app, home, runner):
    dfe = "8202001"
    shown = runner.invoke(args=["sync", "window", "--school", dfe])
    assert shown.exit_code == 0 and "2 term(s)" in shown.output
    assert runner.invoke(args=["sync", "window", "--school", dfe, "--terms", "all"]).exit_code == 0
    with app.app_context():
        assert db.session.get(SyncSettings, home["school"]).entry_terms is None
    bad = runner.invoke(args=["sync", "window", "--school", dfe, "--terms", "0"])
    assert bad.exit_code != 0 and "1 to 30" in bad.output
