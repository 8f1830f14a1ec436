"""Pull ordering when one school's devices push at once (issue 16, server/models/sequence.py):
many writers at a time, and no row skipped by a reader paging meanwhile."""

import threading

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from server.extensions import db
from server.models import SchoolClass, Term
from tests.support import ApiClient
from tests.sync_support import add_test_templates, session_op
from tests.test_sync_pull import of_type, pull_all
from tests.test_sync_push import push

WRITERS = 16


@pytest.fixture
def home(app, world):
    with app.app_context():
        add_test_templates(world["home"]["school"])
    return world["home"]


def _login(app, world, role):
    client = ApiClient(app.test_client())
    client.login(world["home"]["staff"][role]["email"], world.password)
    return client


def test_sixteen_writers_in_one_school_while_a_reader_pages(app, world, home):
    """Sixteen devices push into one school at once; a reader paging with a small limit the
    whole time gets every entry exactly once."""
    pupils = [home["pupils"][0], home["pupils"][3]]
    writers = [_login(app, world, "ta") for _ in range(WRITERS)]
    reader = _login(app, world, "senco")
    pushed, errors, lock = [], [], threading.Lock()
    start = threading.Barrier(WRITERS)

    def write(n: int):
        try:
            start.wait()
            for batch in range(3):
                ops = [session_op(batch * 10 + i + 1, home["group"], pupils) for i in range(4)]
                ids = [r["entry_id"] for r in push(writers[n], ops, device=f"device-{n:02d}")]
                with lock:
                    pushed.extend(ids)
        except Exception as exc:  # surfaced below; a thread's assert would vanish
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    seen, cursor = [], None
    while any(thread.is_alive() for thread in threads):
        changes, cursor, _ = pull_all(reader, cursor, limit=5)
        seen += [c["id"] for c in of_type(changes, "entry")]
    for thread in threads:
        thread.join()
    changes, cursor, _ = pull_all(reader, cursor, limit=5)
    seen += [c["id"] for c in of_type(changes, "entry")]
    assert not errors
    assert len(pushed) == WRITERS * 12
    assert len(seen) == len(set(seen)), "a row was delivered twice"
    assert set(seen) == set(pushed), "a row was skipped"


def test_a_write_commits_beside_an_open_one_and_waits_behind_it_for_readers(app, world, home):
    """PostgreSQL: a second transaction writing the same school neither waits for an open one
    (no lock held through the write) nor reaches readers before it, whose rows would then be
    skipped. SQLite has one writer at a time, so there is nothing to show there."""
    spare = world["home"]["spare"]
    reader = _login(app, world, "senco")
    _, cursor, _ = pull_all(reader)
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite writers take turns")
        first, second = Session(db.engine), Session(db.engine)
        try:
            first.get(Term, spare["term"]).name = "Autumn early"
            first.flush()  # stamped, not committed
            second.execute(text("SET LOCAL lock_timeout = '2s'"))
            second.get(SchoolClass, spare["class"]).name = "Rowan spare"
            second.commit()  # the school's counter row made this wait for `first`
            changes, cursor, _ = pull_all(reader, cursor)
            assert changes == [], "a later commit reached a reader before an open transaction"
            first.commit()
        finally:
            first.close()
            second.close()
    changes, _, _ = pull_all(reader, cursor)
    assert [c["type"] for c in changes] == ["term", "class"]
