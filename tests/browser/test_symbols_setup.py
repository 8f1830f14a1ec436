"""The OpenMoji set-up step (server/symbols.py) and how server/pwa.py serves its output, without
a browser or the network: a fake `npm pack` tarball stands in for the registry."""

import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest

from server import pwa, symbols

PWA = Path(__file__).resolve().parents[2] / "pwa"
SVG = (
    b'<svg id="emoji" viewBox="0 0 72 72" xmlns="http://www.w3.org/2000/svg"><circle r="23"/></svg>'
)


def fake_tarball(folder: Path, svg: bytes = SVG, skip: str | None = None) -> Path:
    files = {
        f"package/color/svg/{hexcode}.svg": svg
        for hexcode, _ in symbols.SYMBOLS.values()
        if hexcode != skip
    }
    files["package/LICENSE.txt"] = b"Attribution-ShareAlike 4.0 International"
    files["package/data/openmoji.json"] = json.dumps(
        [{"hexcode": h, "annotation": f"name of {h}"} for h, _ in symbols.SYMBOLS.values()]
    ).encode()
    files["package/color/svg/1F4A9.svg"] = svg  # the rest of the package is left behind
    path = folder / f"openmoji-{symbols.VERSION}.tgz"
    with tarfile.open(path, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_install_copies_only_the_symbols_and_is_idempotent(tmp_path, monkeypatch):
    packs = []
    monkeypatch.setattr(symbols, "_pack", lambda work: packs.append(1) or fake_tarball(work))
    dest = tmp_path / "vendor" / "openmoji"
    assert symbols.main(["install", "--dest", str(dest)]) == 0
    index = json.loads((dest / "index.json").read_text())
    assert index["version"] == symbols.VERSION and index["license"] == "CC BY-SA 4.0"
    assert [s["key"] for s in index["symbols"]] == list(symbols.SYMBOLS)
    assert index["symbols"][0]["name"] == f"name of {symbols.SYMBOLS['face-very-sad'][0]}"
    on_disk = {p.name for p in dest.iterdir()}
    assert on_disk == {f"{h}.svg" for h, _ in symbols.SYMBOLS.values()} | {
        "index.json",
        "LICENSE.txt",
    }
    assert symbols.main(["install", "--dest", str(dest)]) == 0  # already there: no second fetch
    assert len(packs) == 1


@pytest.mark.parametrize(
    "svg", [b"<svg><script>alert(1)</script></svg>", b'<svg onload="alert(1)"></svg>']
)
def test_install_refuses_active_content(tmp_path, monkeypatch, svg, capsys):
    monkeypatch.setattr(symbols, "_pack", lambda work: fake_tarball(work, svg))
    dest = tmp_path / "openmoji"
    assert symbols.main(["install", "--dest", str(dest)]) == 1
    assert "active content" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []  # nothing half-written left behind


def test_install_without_npm_says_so(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(symbols.shutil, "which", lambda name: None)
    assert symbols.main(["install", "--dest", str(tmp_path / "openmoji")]) == 1
    assert "npm is not installed" in capsys.readouterr().err


def test_symbols_are_served_with_a_locked_down_policy(app, client, tmp_path, monkeypatch):
    monkeypatch.setattr(symbols, "_pack", lambda work: fake_tarball(work))
    dest = tmp_path / "openmoji"
    symbols.install(dest)
    app.config["OPENMOJI_DIR"] = str(dest)
    response = client.get("/symbols/openmoji/1F642.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.data == SVG
    assert client.get("/symbols/openmoji/index.json").get_json()["set"] == "openmoji"
    assert client.get("/symbols/openmoji/LICENSE.txt").mimetype == "text/plain"
    for path in [
        "/symbols/openmoji/1F4A9.svg",
        "/symbols/openmoji/..%2F..%2Fsw.js",
        "/symbols/openmoji/index.py",
        "/symbols/other/1F642.svg",
    ]:
        assert client.get(path).status_code == 404, path


def test_without_symbols_the_routes_404(app, client, tmp_path):
    app.config["OPENMOJI_DIR"] = str(tmp_path / "absent")
    assert client.get("/symbols/openmoji/index.json").status_code == 404


def test_vendor_files_are_not_shell_files(app, client, tmp_path):
    """Installing symbols must neither change the shell's version nor be served as app code."""
    root = tmp_path / "pwa"
    shutil.copytree(PWA, root, ignore=shutil.ignore_patterns("vendor"))
    app.config["PWA_DIR"] = str(root)
    with app.test_request_context():
        before = pwa.app_version()
        (root / "vendor" / "openmoji").mkdir(parents=True)
        (root / "vendor" / "openmoji" / "1F642.svg").write_bytes(SVG)
        (root / "vendor" / "x.js").write_text("//")
        assert pwa.app_version() == before
        (root / "app.css").write_text((root / "app.css").read_text() + "/* changed */")
        assert pwa.app_version() != before
    assert client.get("/js/../vendor/x.js").status_code == 404
    assert client.get("/symbols/openmoji/1F642.svg").status_code == 200  # from PWA_DIR's vendor
