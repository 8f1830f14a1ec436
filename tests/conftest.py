"""Fixtures built on the factory: a migrated database per test, on SQLite or PostgreSQL.

Set TEST_DATABASE_URL to a PostgreSQL URL to run the suite there; .ci/run does both.
"""

import os
import shutil

import pytest
from sqlalchemy import create_engine, text

from server import create_app
from server.extensions import db
from tests.support import ApiClient, build_world

PG_URL = os.environ.get("TEST_DATABASE_URL")


def _migrate(url: str, instance_path: str) -> None:
    from flask_migrate import upgrade

    os.environ["INSTANCE_PATH"] = instance_path
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test"})
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def database_template(tmp_path_factory):
    """Run the real migrations once; each test then starts from that schema."""
    if PG_URL:
        engine = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
        _migrate(PG_URL, str(tmp_path_factory.mktemp("instance")))
        return PG_URL
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    _migrate(f"sqlite:///{path}", str(tmp_path_factory.mktemp("instance")))
    return str(path)


@pytest.fixture
def database_url(database_template, tmp_path):
    if PG_URL:
        yield PG_URL
        _truncate_all(PG_URL)
    else:
        path = tmp_path / "test.sqlite"
        shutil.copy(database_template, path)
        yield f"sqlite:///{path}"


# Sequences that belong to a table's column: what TRUNCATE ... RESTART IDENTITY restarted.
OWNED_SEQUENCES = """
    SELECT seq.relname FROM pg_class seq
    JOIN pg_depend dep ON dep.objid = seq.oid AND dep.classid = 'pg_class'::regclass
    WHERE seq.relkind = 'S' AND dep.deptype = 'a'
"""


def _truncate_all(url: str) -> None:
    """Empty every table between tests, and restart their ids.

    DELETE with triggers off rather than TRUNCATE: a TRUNCATE of 44 tables gives each a new
    file and scans shared buffers once per relation, about 180 ms a test and 18% of the
    PostgreSQL suite's time (py-spy); a test's few rows delete in about 25 ms. Turning triggers off (the
    audit log's append-only one among them) needs a superuser, as CI's postgres is; any other
    role keeps TRUNCATE."""
    from server.models import Base

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    tables = [f'"{t.name}"' for t in Base.metadata.sorted_tables]
    with engine.begin() as conn:
        superuser = conn.execute(text("SHOW is_superuser")).scalar() == "on"
        if superuser:
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            for table in reversed(tables):
                conn.execute(text(f"DELETE FROM {table}"))
            for (sequence,) in conn.execute(text(OWNED_SEQUENCES)):
                conn.execute(text("SELECT setval(:s, 1, false)"), {"s": f'"{sequence}"'})
        else:
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def app(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "test-secret",
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def world(app):
    """Two schools, each with staff in every role, classes, pupils and a group (tests/support.py)."""
    with app.app_context():
        return build_world()


@pytest.fixture
def api(app, world):
    """Make an ApiClient logged in as a role: api("senco"), api("ta", school="other")."""

    def login_as(role: str, school: str = "home") -> ApiClient:
        client = ApiClient(app.test_client())
        client.login(world[school]["staff"][role]["email"], world.password)
        return client

    return login_as
