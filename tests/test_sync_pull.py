"""Pull: server order, opaque cursor, paging that never skips or repeats, scope, tombstones."""

import re
import threading
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from server.extensions import db
from tests.support import ApiClient
from tests.sync_support import add_test_templates, session_op, voice_op
from tests.test_sync_push import push


@pytest.fixture
def home(app, world):
    with app.app_context():
        add_test_templates(world["home"]["school"])
    return world["home"]


def pull_all(client, cursor=None, limit=500):
    """Page until more is false; return (changes, final cursor, reset flags)."""
    changes, resets = [], []
    while True:
        query = f"/api/v1/sync/pull?limit={limit}" + (f"&since={cursor}" if cursor else "")
        response = client.get(query)
        assert response.status_code == 200, response.get_json()
        page = response.get_json()
        changes += page["changes"]
        resets.append(page["reset"])
        cursor = page["cursor"]
        if not page["more"]:
            return changes, cursor, resets


def of_type(changes, kind):
    return [c for c in changes if c["type"] == kind]


def test_first_pull_brings_the_tas_scope_and_says_reset(api, home):
    changes, _, resets = pull_all(api("ta"))
    assert resets[0] is True
    assert sorted(int(c["id"]) for c in of_type(changes, "pupil")) == sorted(
        [home["pupils"][0], home["pupils"][3]]
    )
    assert [int(c["id"]) for c in of_type(changes, "group")] == [home["group"]]
    seqs = [c["seq"] for c in changes]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)


def test_viewer_pulls_no_pupils_and_no_entries(api, home):
    push(api("ta"), [session_op(1, home["group"], [home["pupils"][0]])])
    changes, _, _ = pull_all(api("viewer"))
    assert not of_type(changes, "pupil") and not of_type(changes, "entry")
    assert of_type(changes, "class")


def test_small_pages_deliver_everything_once_in_order(api, home):
    push(api("ta"), [session_op(i, home["group"], [home["pupils"][0]]) for i in range(1, 26)])
    big, _, _ = pull_all(api("senco"))
    small, _, _ = pull_all(api("senco"), limit=3)
    assert [(c["type"], c["id"]) for c in small] == [(c["type"], c["id"]) for c in big]
    assert len(of_type(small, "entry")) == 25


def test_cursor_resumes_after_the_last_change(api, home):
    ta = api("ta")
    _, cursor, _ = pull_all(ta)
    push(ta, [session_op(1, home["group"], [home["pupils"][0]])])
    changes, _, resets = pull_all(ta, cursor)
    assert resets == [False]
    assert [c["type"] for c in changes] == ["entry"]


def test_a_pull_reads_only_the_row_types_that_changed(app, api, home):
    """Most pulls every 30 s find new entries and nothing else: the other types' scoped
    queries are skipped, while a change to one of them still comes through."""
    ta, senco = api("ta"), api("senco")
    _, cursor, _ = pull_all(ta)
    push(ta, [session_op(1, home["group"], [home["pupils"][0]])])
    with _tables_read(app) as read:
        changes, cursor, _ = pull_all(ta, cursor)
    assert [c["type"] for c in changes] == ["entry"]
    assert "entries" in read
    assert not read & {"classes", "terms", "interventions", "enrolments", "passport_fields"}

    edit = {"field": "i_enjoy", "value": "Building things with bricks", "base_rev": 0}
    response = senco.patch(f"/api/v1/pupils/{home['pupils'][0]}/passport", json=edit)
    assert response.status_code == 200, response.get_json()
    with _tables_read(app) as read:
        changes, _, _ = pull_all(ta, cursor)
    assert "passport_field" in {c["type"] for c in changes}
    assert "passport_fields" in read and "entries" not in read


@contextmanager
def _tables_read(app):
    """The table each SELECT the app runs meanwhile reads from first (the one query that asks
    every table whether anything changed, a UNION ALL, aside)."""
    read = set()

    def note(conn, cursor, statement, *args):
        first = re.search(r"\bFROM\s+\"?(\w+)", statement)
        if (
            statement.lstrip().upper().startswith("SELECT")
            and first
            and "UNION ALL" not in statement
        ):
            read.add(first.group(1))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield read
    finally:
        event.remove(engine, "before_cursor_execute", note)


def test_tombstones_reach_other_devices(api, home):
    ta, senco = api("ta"), api("senco")
    entry_id = push(ta, [session_op(1, home["group"], [home["pupils"][0]])])[0]["entry_id"]
    _, cursor, _ = pull_all(senco)
    push(
        ta,
        [
            session_op(
                2, home["group"], [home["pupils"][0]], entry_id=entry_id, base_rev=1, deleted=True
            )
        ],
    )
    changes, _, _ = pull_all(senco, cursor)
    assert [(c["id"], c["deleted"], c["data"]["rev"]) for c in changes] == [(entry_id, True, 2)]


def test_a_scope_change_resets_the_cursor(api, home):
    ta, senco = api("ta"), api("senco")
    _, cursor, _ = pull_all(ta)
    enrol = senco.post(
        "/api/v1/enrolments/",
        json={"group_id": home["group"], "pupil_id": home["pupils"][1], "joined_on": "2026-11-01"},
    )
    assert enrol.status_code == 201
    changes, _, resets = pull_all(ta, cursor)
    assert resets[0] is True
    assert home["pupils"][1] in [int(c["id"]) for c in of_type(changes, "pupil")]


def test_a_bad_cursor_is_a_field_error(api):
    response = api("ta").get("/api/v1/sync/pull?since=garbage")
    assert response.status_code == 422
    assert "since" in response.get_json()["errors"]


def test_ta_does_not_pull_conversations_or_other_pupils_entries(api, home):
    senco = api("senco")
    push(senco, [voice_op(1, home["pupils"][1])], device="senco-tablet")
    push(senco, [voice_op(2, home["pupils"][0])], device="senco-tablet")
    entries = of_type(pull_all(api("ta"))[0], "entry")
    assert [c["data"]["pupil_ids"] for c in entries] == [[home["pupils"][0]]]


def test_paging_never_skips_or_repeats_while_another_device_pushes(app, world, home):
    """A reader pages with a small limit while a writer thread pushes; every entry arrives once."""
    writer = ApiClient(app.test_client())
    writer.login(world["home"]["staff"]["ta"]["email"], world.password)
    reader = ApiClient(app.test_client())
    reader.login(world["home"]["staff"]["senco"]["email"], world.password)
    pupils = [home["pupils"][0], home["pupils"][3]]
    pushed, errors = [], []

    def write():
        try:
            for batch in range(12):
                ops = [session_op(batch * 10 + i + 1, home["group"], pupils) for i in range(10)]
                pushed.extend(r["entry_id"] for r in push(writer, ops, device="writer-device"))
        except Exception as exc:  # surfaced below; a thread's assert would vanish
            errors.append(exc)

    thread = threading.Thread(target=write)
    seen, cursor = [], None
    thread.start()
    while thread.is_alive():
        changes, cursor, _ = pull_all(reader, cursor, limit=7)
        seen += [c["id"] for c in of_type(changes, "entry")]
    thread.join()
    changes, cursor, _ = pull_all(reader, cursor, limit=7)
    seen += [c["id"] for c in of_type(changes, "entry")]
    assert not errors
    assert len(pushed) == 120
    assert len(seen) == len(set(seen)), "a row was delivered twice"
    assert set(seen) == set(pushed), "a row was skipped"


def test_concurrent_pushes_over_the_same_groups_all_commit(app, world, home):
    """Devices push batches naming the same groups in opposite orders. The merge must lock
    shared projection rows in one order, or PostgreSQL deadlocks and the push gives up."""
    from datetime import date

    from server.extensions import db
    from server.models import Enrolment, Group

    with app.app_context():
        extra = [
            Group(
                school_id=home["school"],
                intervention_id=home["intervention"],
                name=f"Race group {n}",
                sessions_per_week=1,
                minutes_per_session=20,
                weeks=6,
                ratio="1:6",
                start_date=date(2026, 9, 8),
                funding_source="notional_sen",
            )
            for n in range(16)
        ]
        db.session.add_all(extra)
        db.session.flush()
        pupils = [home["pupils"][0], home["pupils"][3]]
        db.session.add_all(
            Enrolment(
                school_id=home["school"], group_id=g.id, pupil_id=p, joined_on=date(2026, 9, 8)
            )
            for g in extra
            for p in pupils
        )
        db.session.commit()
        groups = [g.id for g in extra]
    failures = []

    def device(name: str, order: list[int]):
        client = ApiClient(app.test_client())
        client.login(world["home"]["staff"]["senco"]["email"], world.password)
        for batch in range(5):
            ops = [
                session_op(batch * 100 + i + 1, order[i % len(order)], pupils)
                for i in range(len(order) * 3)
            ]
            response = client.post("/api/v1/sync/push", json={"device_id": name, "ops": ops})
            statuses = {r["status"] for r in response.get_json().get("results", [])}
            if response.status_code != 200 or statuses != {"accepted"}:
                failures.append((name, response.status_code, response.get_json()["message"]))

    threads = [
        threading.Thread(target=device, args=(f"device-{n:04d}", groups if n % 2 else groups[::-1]))
        for n in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
