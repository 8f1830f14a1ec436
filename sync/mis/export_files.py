"""Writing an export so that no reader ever sees half of one (DESIGN §7).

A school's export folder holds `exports/<name>/` (one folder per export, named by its day) and
`current`, a symlink to the newest. A run writes into a hidden staging folder (each file to a
temporary name, fsync, rename; `manifest.json` last), renames the folder into `exports/`, then
swaps `current` by renaming a new symlink over it. Killed at any point, the run leaves
`current` on the previous export; the next run clears the staging folder. When the new export
is byte for byte the one `current` already holds, nothing is written: a rerun the same day
gives the same files and no duplicate. The few newest exports are kept, the rest removed.
"""

import hashlib
import io
import json
import os
import shutil
import uuid
import zipfile
from dataclasses import dataclass
from datetime import date

MANIFEST = "manifest.json"
STAGING = ".staging-"


@dataclass
class Written:
    name: str  # the export folder under exports/
    new: bool  # False when current already held these exact files


def manifest(files: dict[str, bytes], facts: dict) -> bytes:
    listed = [
        {"name": name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        for name, data in sorted(files.items())
    ]
    return (json.dumps({**facts, "files": listed}, indent=2, sort_keys=True) + "\n").encode()


def _fsync_dir(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write(folder: str, name: str, data: bytes) -> None:
    temporary = os.path.join(folder, f".{name}.tmp")
    with open(temporary, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(temporary, os.path.join(folder, name))


def current_name(root: str) -> str | None:
    link = os.path.join(root, "current")
    return os.path.basename(os.readlink(link)) if os.path.islink(link) else None


def _read(path: str) -> bytes | None:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except FileNotFoundError:
        return None


def _free_name(exports: str, day: date, manifest_bytes: bytes) -> tuple[str, bool]:
    """The day's folder name, "2026-12-02" then "2026-12-02.2" ...; (name, already there)
    when a folder of that day already holds exactly this export (a run killed before the
    switch)."""
    for n in range(1, 1000):
        name = day.isoformat() + ("" if n == 1 else f".{n}")
        found = _read(os.path.join(exports, name, MANIFEST))
        if found is None and not os.path.exists(os.path.join(exports, name)):
            return name, False
        if found == manifest_bytes:
            return name, True
    raise RuntimeError("More than 999 different exports in one day.")


def _switch(root: str, name: str) -> None:
    temporary = os.path.join(root, f".current-{uuid.uuid4().hex}")
    os.symlink(os.path.join("exports", name), temporary)
    os.replace(temporary, os.path.join(root, "current"))
    _fsync_dir(root)


def _clear_staging(root: str) -> None:
    """Staging left by a killed run. Only the run holding the school's lock writes here."""
    for entry in os.listdir(root):
        if entry.startswith(STAGING) or entry.startswith(".current-"):
            path = os.path.join(root, entry)
            shutil.rmtree(path) if os.path.isdir(path) else os.remove(path)


def _prune(root: str, keep: int) -> None:
    exports = os.path.join(root, "exports")
    current = current_name(root)
    names = sorted(
        os.listdir(exports),
        key=lambda n: (n.split(".")[0], int(n.split(".")[1]) if "." in n else 1),
    )
    for name in names[:-keep] if keep > 0 else []:
        if name != current:
            shutil.rmtree(os.path.join(exports, name), ignore_errors=True)


def write_export(root: str, day: date, files: dict[str, bytes], facts: dict, keep: int) -> Written:
    """Make `files` (plus their manifest) the school's current export, atomically."""
    os.makedirs(os.path.join(root, "exports"), exist_ok=True)
    _clear_staging(root)
    manifest_bytes = manifest(files, facts)
    current = current_name(root)
    if current and _read(os.path.join(root, "exports", current, MANIFEST)) == manifest_bytes:
        return Written(current, new=False)
    exports = os.path.join(root, "exports")
    name, there = _free_name(exports, day, manifest_bytes)
    if not there:
        staging = os.path.join(root, f"{STAGING}{uuid.uuid4().hex}")
        os.mkdir(staging)
        for file_name, data in sorted(files.items()):
            _write(staging, file_name, data)
        _write(staging, MANIFEST, manifest_bytes)  # last: its presence means the rest is there
        _fsync_dir(staging)
        os.rename(staging, os.path.join(exports, name))
        _fsync_dir(exports)
    _switch(root, name)
    _prune(root, keep)
    return Written(name, new=True)


def folder(root: str, name: str | None) -> str | None:
    """The export folder `name`, if it is still kept."""
    if not name:
        return None
    path = os.path.join(root, "exports", name)
    return path if os.path.isfile(os.path.join(path, MANIFEST)) else None


def zip_bytes(path: str, day: date) -> bytes:
    """The export folder as a ZIP, the same bytes every time: entries sorted, manifest last,
    each stamped with the export's day rather than the clock."""
    names = sorted(n for n in os.listdir(path) if not n.startswith(".") and n != MANIFEST)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in [*names, MANIFEST]:
            info = zipfile.ZipInfo(name, date_time=(day.year, day.month, day.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with open(os.path.join(path, name), "rb") as fh:
                archive.writestr(info, fh.read())
    return out.getvalue()
