"""The PostgreSQL pool and timeouts (server/pool.py): a lost database is a clean 503, the app
recovers by itself when it comes back, and no statement runs past the timeout."""

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from server import create_app
from server.extensions import db
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
    return create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": url.render_as_string(hide_password=False),
            "SECRET_KEY": "test-secret",
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "DB_CONNECT_TIMEOUT": 2,
            "DB_POOL_TIMEOUT": 2,
            **config,
        }
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
