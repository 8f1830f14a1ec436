"""Install the optional OpenMoji symbols for pupil mode at set-up time (never committed).

    python -m server.symbols install [--dest DIR]

OpenMoji artwork is CC BY-SA 4.0 (FORMS.md §6; send-mis-standards.md §3.3): it may be offered
with attribution, but third-party assets are not kept in the repository. This fetches the pinned
`openmoji` npm package with `npm pack` (one tarball, no dependency tree, no install scripts run)
and copies out only the handful of SVGs pupil mode uses, the licence text, and an index.json the
PWA reads to map its symbol keys to files and to list them on the credits screen.

It is idempotent: with the same version already in place it does nothing, so `make run` and
`make test` can call it every time. Without npm it exits 1 with a plain message, and the app
carries on with its own SVG faces.
"""

import argparse
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VERSION = "17.0.0"
DEFAULT_DEST = Path(__file__).resolve().parent.parent / "pwa" / "vendor" / "openmoji"
# Symbol key (as in schemas/forms, plus the PWA's own) -> (OpenMoji hexcode, what it stands for).
SYMBOLS = {
    "face-very-sad": ("1F622", "Very sad"),
    "face-sad": ("1F641", "Sad"),
    "face-ok": ("1F610", "OK"),
    "face-happy": ("1F642", "Happy"),
    "face-very-happy": ("1F600", "Very happy"),
    "drawing": ("1F3A8", "Drawing"),
}
# Served from our own origin, so refuse anything that could run: the artwork never needs it.
ACTIVE = re.compile(
    rb"<script|<foreignObject|\son[a-z]+\s*=|javascript:|<iframe|xlink:href=\"(?!#)", re.I
)


def installed(dest: Path) -> bool:
    index = dest / "index.json"
    if not index.is_file():
        return False
    data = json.loads(index.read_text())
    return data.get("version") == VERSION and all(
        (dest / f"{s['hex']}.svg").is_file() for s in data.get("symbols", [])
    )


def _pack(workdir: Path) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit(
            "npm is not installed, so the OpenMoji symbols cannot be fetched. "
            "Pupil mode will use the app's own faces."
        )
    subprocess.run(
        [
            npm,
            "pack",
            f"openmoji@{VERSION}",
            "--pack-destination",
            str(workdir),
            "--silent",
            "--ignore-scripts",
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return workdir / f"openmoji-{VERSION}.tgz"


def _extract(tarball: Path, dest: Path) -> None:
    wanted = {f"package/color/svg/{hexcode}.svg" for hexcode, _ in SYMBOLS.values()}
    wanted |= {"package/LICENSE.txt", "package/data/openmoji.json"}
    found = {}
    with tarfile.open(tarball) as tar:
        for member in tar:
            if member.isfile() and member.name in wanted:
                found[member.name] = tar.extractfile(member).read()
    missing = wanted - set(found)
    if missing:
        raise SystemExit(f"openmoji@{VERSION} lacks {sorted(missing)}")
    names = {e["hexcode"]: e["annotation"] for e in json.loads(found["package/data/openmoji.json"])}
    for hexcode, _ in SYMBOLS.values():
        if ACTIVE.search(found[f"package/color/svg/{hexcode}.svg"]):
            raise SystemExit(f"{hexcode}.svg contains active content; refusing to serve it.")
    staging = Path(tempfile.mkdtemp(dir=dest.parent, prefix=".openmoji-"))
    staging.chmod(0o755)  # mkdtemp makes it private; the web server may run as another user
    symbols = []
    for key, (hexcode, meaning) in SYMBOLS.items():
        (staging / f"{hexcode}.svg").write_bytes(found[f"package/color/svg/{hexcode}.svg"])
        symbols.append(
            {"key": key, "hex": hexcode, "meaning": meaning, "name": names.get(hexcode, "")}
        )
    (staging / "LICENSE.txt").write_bytes(found["package/LICENSE.txt"])
    (staging / "index.json").write_text(
        json.dumps(
            {
                "set": "openmoji",
                "version": VERSION,
                "license": "CC BY-SA 4.0",
                "license_url": "https://creativecommons.org/licenses/by-sa/4.0/",
                "source_url": "https://openmoji.org/",
                "changes": "None: the SVGs are used as published.",
                "symbols": symbols,
            },
            indent=2,
        )
    )
    # Swap in whole, so the server never sees a half-written folder.
    if dest.exists():
        shutil.rmtree(dest)
    staging.rename(dest)


def install(dest: Path = DEFAULT_DEST) -> bool:
    """Fetch and copy the symbols unless this version is already there; True if it did work."""
    if installed(dest):
        return False
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as workdir:
        _extract(_pack(Path(workdir)), dest)
    return True


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["install"])
    parser.add_argument("--dest", type=Path, default=DEFAULT_DEST)
    args = parser.parse_args(argv)
    try:
        did = install(args.dest)
    except subprocess.SubprocessError as err:
        print(f"Could not fetch openmoji@{VERSION} from npm: {err}", file=sys.stderr)
        return 1
    except SystemExit as err:
        print(err, file=sys.stderr)
        return 1
    print(f"OpenMoji {VERSION} symbols {'installed' if did else 'already present'} in {args.dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
