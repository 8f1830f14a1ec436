"""The PostgreSQL pool and timeouts (server/pool.py): a lost database is a clean 503, the app
recovers by itself when it comes back, and no statement runs past the timeout."""

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from server import create_app
from server.extensions import db
from server.models import School
from tests.conftest import PG_URL
from tests.support import ApiClient
from tests.tcp_proxy import TcpProxy

pytestmark = pytest.mark.skipif(not PG_URL, reason="the pool settings are PostgreSQL's")


@pytest.fixture
def proxy():
    url = make_url(PG_URL)
    proxy = TcpProxy((url.host or "127.0.0.1", url.port or 5432))
    proxy.start()
    yield proxy
    proxy.stop()


def _app_through(proxy, **config):
    url = make_url(PG_URL).set(host="127.0.0.1", port=proxy.port)
    return _app_on(
        url.render_as_string(hide_password=False),
        DB_CONNECT_TIMEOUT=2,
        DB_POOL_TIMEOUT=2,
        **config,
    )


def test_requests_fail_with_503_while_the_database_is_away_and_recover_after(proxy, world):
    app = _app_through(proxy)
    client = ApiClient(app.test_client())
    client.login(world["home"]["staff"]["ta"]["email"], world.password)
    assert client.get("/api/v1/me").status_code == 200

    proxy.stop()  # PostgreSQL "restarts": open connections cut, new ones refused
    for _ in range(3):
        response = client.get("/api/v1/me")
        assert response.status_code == 503
        assert response.headers["Retry-After"]
        body = response.get_json()
        assert body["code"] == 503 and "Nothing was saved" in body["message"]
    pushed = client.post("/api/v1/sync/push", json={"device_id": "tablet-0001", "ops": []})
    assert pushed.status_code == 503

    proxy.start()  # back: the same app, not restarted, serves again
    assert client.get("/api/v1/me").status_code == 200
    with app.app_context():
        db.engine.dispose()


def test_a_statement_past_the_timeout_is_stopped_and_answers_503(proxy, world):
    app = _app_through(proxy, DB_STATEMENT_TIMEOUT_MS=300)

    @app.get("/test-slow")
    def slow():
        db.session.execute(text("SELECT pg_sleep(5)"))
        return {}

    with app.app_context():
        assert db.session.execute(text("SHOW statement_timeout")).scalar() == "300ms"
        db.session.rollback()
    response = app.test_client().get("/test-slow")
    assert response.status_code == 503
    with app.app_context():
        db.engine.dispose()


def _app_with_one_connection(database_url, **config):
    """One pooled connection, so the test reads the very connection the requests used."""
    return _app_on(database_url, DB_POOL_SIZE=1, DB_MAX_OVERFLOW=0, **config)


def _app_on(database_url, **config):
    return create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "test-secret",
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            **config,
        }
    )


def test_a_request_that_only_read_keeps_the_statements_prepared_on_its_connection(
    database_url, world
):
    # psycopg forgets its prepared statements at every rollback: ending reads that way made
    # each push after a pull plan every statement again (server/pool.py).
    app = _app_with_one_connection(database_url)
    client = ApiClient(app.test_client())
    client.login(world["home"]["staff"]["ta"]["email"], world.password)
    for _ in range(8):  # psycopg prepares a statement on its fifth run
        assert client.get("/api/v1/me").status_code == 200
    with app.app_context():
        prepared = db.session.scalar(text("SELECT count(*) FROM pg_prepared_statements"))
    _dispose(app)
    assert prepared >= 1


def test_what_a_request_wrote_but_did_not_commit_is_rolled_back(database_url, world):
    app = _app_with_one_connection(database_url)
    school_id = world["home"]["school"]

    @app.post("/test-update-then-return")
    def update_then_return():
        db.session.execute(
            text("UPDATE schools SET name = 'Written' WHERE id = :id"), {"id": school_id}
        )
        return {}

    @app.post("/test-change-then-return")
    def change_then_return():
        db.session.get(School, school_id).name = "Changed"
        return {}

    client = app.test_client()
    assert client.post("/test-update-then-return").status_code == 200
    assert client.post("/test-change-then-return").status_code == 200
    with app.app_context():
        name = db.session.get(School, school_id).name
    _dispose(app)
    assert name not in ("Written", "Changed")


def _dispose(app) -> None:
    with app.app_context():
        db.engine.dispose()
