"""Backups that restore: one encrypted, dated archive of the database, the attachments and a
manifest of SHA-256 checksums, made while the app runs; and a restore that checks every
checksum before it touches anything.

The database is copied consistently while the app writes: SQLite through its online backup API
(one step, so the copy is one moment's database, WAL or not), PostgreSQL through `pg_dump -Fc`
(one snapshot). Attachments are copied after the database: a photo's file is written before its
row is committed (server/api/attachments.py), so every row in the copy has its file.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime

from sqlalchemy import inspect, select
from sqlalchemy.engine import make_url

from server.backup_crypto import EncryptingWriter, decrypt

PREFIX, SUFFIX = "send-backup-", ".sendbak"
MANIFEST = "manifest.json"


class RestoreRefused(Exception):
    pass


def create(app, db, to_dir: str | None = None) -> str:
    """Write one archive; returns its path. Keeps the newest BACKUP_KEEP archives in the folder."""
    config = app.config
    folder = to_dir or config["BACKUP_DIR"]
    os.makedirs(folder, mode=0o700, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    final = os.path.join(folder, f"{PREFIX}{stamp}{SUFFIX}")
    with tempfile.TemporaryDirectory(prefix="send-backup-") as work:
        kind, dump = _dump_database(db, work)
        partial = final + ".part"
        with open(partial, "wb") as raw:
            writer = EncryptingWriter(raw, config["BACKUP_KEY"], config["BACKUP_KDF_COST"])
            with tarfile.open(fileobj=writer, mode="w|") as archive:
                files = {f"database/{os.path.basename(dump)}": _add(archive, dump, "database")}
                files.update(_add_attachments(archive, config["ATTACHMENTS_DIR"]))
                manifest = _manifest(db, kind, files)
                _add_bytes(archive, MANIFEST, manifest)
            writer.close()
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, final)  # a crash leaves a .part, never a half archive by this name
    _keep_newest(folder, config["BACKUP_KEEP"])
    return final


def _dump_database(db, work: str) -> tuple[str, str]:
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        target = os.path.join(work, "send.sqlite")
        source = sqlite3.connect(url.database)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # all pages in one step: one consistent moment
        finally:
            copy.close()
            source.close()
        return "sqlite", target
    target = os.path.join(work, "send.pgdump")
    _pg("pg_dump", url, ["--format=custom", "--no-owner", f"--file={target}"])
    return "postgresql", target


def _pg(tool: str, url, args: list[str]) -> None:
    plain = make_url(url).set(drivername="postgresql")
    env = {**os.environ, "PGPASSWORD": plain.password or ""}
    dsn = plain.set(password=None).render_as_string(hide_password=False)
    result = subprocess.run(
        [tool, *args, f"--dbname={dsn}"], env=env, capture_output=True, text=True
    )
    if result.returncode:
        raise RuntimeError(f"{tool} failed: {result.stderr.strip()[:500]}")


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _add(archive, path: str, folder: str) -> str:
    digest = _sha256(path)
    archive.add(path, arcname=f"{folder}/{os.path.basename(path)}", recursive=False)
    return digest


def _add_attachments(archive, root: str) -> dict:
    files = {}
    if not os.path.isdir(root):
        return files
    for folder, _, names in sorted(os.walk(root)):
        for name in sorted(names):
            if name.startswith(".upload-"):
                continue  # an upload still being written: its row is not committed either
            path = os.path.join(folder, name)
            relative = os.path.relpath(path, root)
            files[f"attachments/{relative}"] = _sha256(path)
            archive.add(path, arcname=f"attachments/{relative}", recursive=False)
    return files


def _add_bytes(archive, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(datetime.now(UTC).timestamp()), 0o600
    archive.addfile(info, io.BytesIO(data))


def _manifest(db, kind: str, files: dict) -> bytes:
    with db.engine.connect() as connection:
        revision = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    return json.dumps(
        {
            "made_at": datetime.now(UTC).isoformat(),
            "database": kind,
            "alembic_revision": revision,
            "files": files,
        },
        indent=2,
    ).encode()


def _keep_newest(folder: str, keep: int) -> None:
    archives = sorted(n for n in os.listdir(folder) if n.startswith(PREFIX) and n.endswith(SUFFIX))
    for name in archives[: max(0, len(archives) - keep)]:
        os.remove(os.path.join(folder, name))


def restore(app, db, archive_path: str, force: bool = False) -> dict:
    """Restore an archive into this instance: decrypt, check every checksum, refuse a
    non-empty instance unless forced, then put the database and attachments in place."""
    config = app.config
    with tempfile.TemporaryDirectory(prefix="send-restore-") as work:
        plain = os.path.join(work, "archive.tar")
        with open(archive_path, "rb") as source, open(plain, "wb") as out:
            decrypt(source, out, config["BACKUP_KEY"])
        unpacked = os.path.join(work, "unpacked")
        with tarfile.open(plain) as archive:
            archive.extractall(unpacked, filter="data")
        manifest = _checked_manifest(unpacked)
        kind = db.engine.url.get_backend_name()
        if manifest["database"] != ("sqlite" if kind == "sqlite" else "postgresql"):
            raise RestoreRefused(
                f"This archive holds a {manifest['database']} database; this instance uses {kind}."
            )
        if not force:
            _refuse_if_not_empty(db, config["ATTACHMENTS_DIR"])
        _restore_database(db, unpacked, manifest["database"])
        count = _restore_attachments(unpacked, config["ATTACHMENTS_DIR"])
    return {
        "made_at": manifest["made_at"],
        "revision": manifest["alembic_revision"],
        "attachments": count,
    }


def _checked_manifest(unpacked: str) -> dict:
    path = os.path.join(unpacked, MANIFEST)
    if not os.path.isfile(path):
        raise RestoreRefused("The archive has no manifest.")
    with open(path) as fh:
        manifest = json.load(fh)
    bad = [
        name
        for name, digest in manifest["files"].items()
        if not os.path.isfile(os.path.join(unpacked, name))
        or _sha256(os.path.join(unpacked, name)) != digest
    ]
    if bad:
        raise RestoreRefused(f"{len(bad)} files do not match their checksums, e.g. {bad[0]}.")
    return manifest


def _refuse_if_not_empty(db, attachments_dir: str) -> None:
    from server.models import School

    has_schools = inspect(db.engine).has_table("schools") and db.session.scalar(
        select(School.id).limit(1)
    )
    db.session.rollback()
    has_files = os.path.isdir(attachments_dir) and any(
        files for _, _, files in os.walk(attachments_dir)
    )
    if has_schools or has_files:
        raise RestoreRefused(
            "This instance already holds data. Restore into an empty one, or pass --force to "
            "replace what is here."
        )


def _restore_database(db, unpacked: str, kind: str) -> None:
    db.session.remove()
    db.engine.dispose()
    if kind == "sqlite":
        source = sqlite3.connect(os.path.join(unpacked, "database", "send.sqlite"))
        target = sqlite3.connect(db.engine.url.database)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        return
    dump = os.path.join(unpacked, "database", "send.pgdump")
    _pg(
        "pg_restore",
        db.engine.url,
        ["--clean", "--if-exists", "--no-owner", "--single-transaction", dump],
    )


def _restore_attachments(unpacked: str, root: str) -> int:
    source = os.path.join(unpacked, "attachments")
    count = 0
    for folder, _, names in os.walk(source):
        for name in names:
            relative = os.path.relpath(os.path.join(folder, name), source)
            target = os.path.join(root, relative)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copy2(os.path.join(folder, name), target)
            count += 1
    return count
