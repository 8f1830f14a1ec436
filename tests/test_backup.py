"""Backups that restore (issue 15, point 6): an archive made while pushes are running restores
into a fresh instance with every entry accepted before it began, every photo (checksums
checked), and projections equal to a rebuild; a wrong key, a damaged archive and a non-empty
instance are refused; only the newest BACKUP_KEEP archives are kept."""

import hashlib
import io
import os
import threading
import time
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from server import backup, create_app
from server.backup_crypto import BadArchive
from server.extensions import db
from server.models import Attachment, Entry
from sync.merge.rebuild import projection_snapshot, rebuild
from tests.conftest import PG_URL
from tests.support import ApiClient
from tests.sync_support import add_test_templates, session_op, voice_op

KEY = "a test key that is long enough"
FAST = {"BACKUP_KEY": KEY, "BACKUP_KDF_COST": 2**10}


@pytest.fixture
def app_with_key(app, world):
    app.config.update(FAST)
    with app.app_context():
        add_test_templates(world["home"]["school"])
    return app


def photo(n: int) -> tuple[bytes, str]:
    out = io.BytesIO()
    Image.new("RGB", (12, 12), (n % 256, (n * 7) % 256, 90)).save(out, "PNG")
    return out.getvalue(), hashlib.sha256(out.getvalue()).hexdigest()


class Pusher(threading.Thread):
    """A TA's tablet pushing sessions and voice with photos until told to stop."""

    def __init__(self, app, world):
        super().__init__(daemon=True)
        self.client = ApiClient(app.test_client())
        self.client.login(world["home"]["staff"]["ta"]["email"], world.password)
        self.home, self.stop, self.accepted, self.error = world["home"], threading.Event(), [], None

    def run(self):
        seq = 0
        try:
            while not self.stop.is_set() and seq < 400:
                seq += 2
                data, sha = photo(seq)
                voice = voice_op(seq, self.home["pupils"][0])
                voice["entry"]["core"]["attachments"] = [sha]
                ops = [session_op(seq + 1, self.home["group"], [self.home["pupils"][0]]), voice]
                response = self.client.post(
                    "/api/v1/sync/push", json={"device_id": "backup-tablet", "ops": ops}
                )
                stored = self.client.put(
                    f"/api/v1/attachments/{sha}", data=data, content_type="image/png"
                )
                assert stored.status_code in (200, 201)
                done = time.monotonic()
                for op, result in zip(ops, response.get_json()["results"]):
                    if result["status"] == "accepted":
                        self.accepted.append((done, op["entry"]["entry_id"], sha))
        except Exception as error:  # reported by the test
            self.error = error


def fresh_instance(tmp_path, source_app):
    """A new, empty instance of the same kind: a new SQLite file, or a new PostgreSQL database."""
    if PG_URL:
        url = make_url(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
        name = f"{url.database}_restore"
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        database = url.set(database=name).render_as_string(hide_password=False)
    else:
        database = f"sqlite:///{tmp_path / 'restored.sqlite'}"
    return create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database,
            "SECRET_KEY": "restored",
            "ATTACHMENTS_DIR": str(tmp_path / "restored-attachments"),
            **FAST,
        }
    )


def drop_fresh(app):
    with app.app_context():
        db.engine.dispose()
    if PG_URL:
        url = make_url(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}_restore"'))
        admin.dispose()


def test_a_backup_made_during_pushes_restores_everything(app_with_key, world, tmp_path):
    app = app_with_key
    pusher = Pusher(app, world)
    pusher.start()
    while len(pusher.accepted) < 10 and pusher.is_alive():
        time.sleep(0.01)  # wait for a state: some work on the server before the backup starts
    started = time.monotonic()
    with app.app_context():
        archive = backup.create(app, db, str(tmp_path / "backups"))
    pusher.stop.set()
    pusher.join(timeout=60)
    assert pusher.error is None, pusher.error
    before = [(entry_id, sha) for done, entry_id, sha in pusher.accepted if done < started]
    assert len(before) >= 10

    restored = fresh_instance(tmp_path, app)
    try:
        with restored.app_context():
            result = backup.restore(restored, db, archive)
            assert result["attachments"] >= 2 * len({sha for _, sha in before})
            stored = set(db.session.scalars(select(Entry.entry_id)))
            assert {entry_id for entry_id, _ in before} <= stored
            for row in db.session.scalars(select(Attachment)):
                for path in (row.path, row.thumbnail_path):
                    assert os.path.isfile(os.path.join(restored.config["ATTACHMENTS_DIR"], path))
            assert {sha for _, sha in before} <= set(db.session.scalars(select(Attachment.sha256)))
            school = world["home"]["school"]
            as_restored = projection_snapshot(db.session, school)
            rebuild(db.session, school)
            assert projection_snapshot(db.session, school) == as_restored
            db.session.rollback()
            # Restoring again over data is refused without --force.
            with pytest.raises(backup.RestoreRefused):
                backup.restore(restored, db, archive)
    finally:
        drop_fresh(restored)


def test_wrong_key_damage_and_keeping_the_newest(app_with_key, world, tmp_path, runner):
    app = app_with_key
    folder = tmp_path / "backups"
    app.config["BACKUP_KEEP"] = 2
    with app.app_context():
        paths = [backup.create(app, db, str(folder)) for _ in range(3)]
    assert sorted(os.listdir(folder)) == sorted(os.path.basename(p) for p in paths[1:])
    archive = paths[-1]
    app.config["BACKUP_KEY"] = "not the key"
    with app.app_context(), pytest.raises(BadArchive):
        backup.restore(app, db, archive)
    app.config["BACKUP_KEY"] = KEY
    damaged = tmp_path / "damaged.sendbak"
    data = bytearray(Path(archive).read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    with app.app_context(), pytest.raises(BadArchive):
        backup.restore(app, db, str(damaged))
    cut = tmp_path / "cut.sendbak"
    cut.write_bytes(bytes(data[: len(data) - 10]))
    with app.app_context(), pytest.raises(BadArchive):
        backup.restore(app, db, str(cut))
    refused = runner.invoke(args=["backup", "restore", archive])
    assert refused.exit_code != 0 and "already holds data" in refused.output


def test_flask_backup_create_needs_a_key(app, world, runner, tmp_path):
    app.config["BACKUP_KEY"] = ""
    result = runner.invoke(args=["backup", "create", "--to", str(tmp_path)])
    assert result.exit_code != 0 and "BACKUP_KEY" in result.output
