"""The app shell as served by server/pwa.py: content types, the service worker's headers and
version, and a precache list that names every app file (no browser needed)."""

import re
from pathlib import Path

import pytest

PWA = Path(__file__).resolve().parents[2] / "pwa"


@pytest.mark.parametrize(
    "path, content_type",
    [
        ("/", "text/html"),
        ("/app.css", "text/css"),
        ("/js/app.js", "text/javascript"),
        ("/js/views/home.js", "text/javascript"),
        ("/manifest.webmanifest", "application/manifest+json"),
        ("/icons/icon-192.png", "image/png"),
    ],
)
def test_shell_files_are_served_with_their_types(client, path, content_type):
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == content_type
    assert response.headers["Cache-Control"] == "no-cache"


def test_service_worker_is_versioned_and_never_cached(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-cache"
    version = re.search(r"const VERSION = '([0-9a-f]{12})';", response.get_data(as_text=True))
    assert version, "the server stamps a content hash into the service worker"


def test_service_worker_skips_waiting_only_when_asked():
    source = (PWA / "sw.js").read_text()
    assert source.count("skipWaiting()") == 1
    assert "if (event.data === 'skip-waiting') self.skipWaiting();" in source


def test_precache_lists_every_app_file():
    source = (PWA / "sw.js").read_text()
    listed = set(re.findall(r"^  '(/[^']*)',$", source, re.M))
    on_disk = {
        "/" + str(p.relative_to(PWA))
        for p in PWA.rglob("*")
        if p.suffix in (".js", ".css", ".webmanifest", ".png") and p.name != "sw.js"
    }
    assert listed - {"/"} == on_disk


@pytest.mark.parametrize(
    "path",
    [
        "/js/../../server/config.py",
        "/js/missing.js",
        "/icons/make_icons.py",
        "/api/v1/nothing-here",
    ],
)
def test_other_paths_are_not_served(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.get_json()["code"] == 404


def test_only_db_js_touches_indexeddb():
    users = {str(p.relative_to(PWA)) for p in PWA.rglob("*.js") if "indexedDB" in p.read_text()}
    assert users == {"js/db.js"}
