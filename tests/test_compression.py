"""The app compresses its own text responses (Flask-Compress), so a school without a proxy in
front still sends a pull page or the app shell in a fraction of the bytes; photos go as they are."""

import gzip
import hashlib
import io

import brotli
from PIL import Image

from tests.sync_support import add_test_templates, session_op
from tests.test_sync_push import push


def test_a_large_json_response_is_gzipped_when_asked_and_identical_once_decoded(app, api, world):
    home = world["home"]
    with app.app_context():
        add_test_templates(home["school"])
    ops = [session_op(n, home["group"], [home["pupils"][0], home["pupils"][3]]) for n in range(40)]
    push(api("ta"), ops)
    client = api("senco")
    plain = client.get("/api/v1/sync/pull?limit=500")
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    body = plain.get_data()
    assert len(body) > 20_000

    zipped = client.get("/api/v1/sync/pull?limit=500", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert zipped.headers["Content-Type"] == "application/json"
    assert int(zipped.headers["Content-Length"]) == len(zipped.get_data()) < len(body) / 4
    # Nothing was written between the two reads, so the page (cursor included) is the same.
    assert gzip.decompress(zipped.get_data()) == body


def test_brotli_is_preferred_when_the_browser_offers_it(client):
    response = client.get("/api/v1/openapi.json", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.headers["Content-Encoding"] == "br"
    assert brotli.decompress(response.get_data()) == client.get("/api/v1/openapi.json").get_data()


def test_the_app_shell_and_service_worker_are_compressed_and_keep_their_headers(client):
    plain = client.get("/sw.js")
    packed = client.get("/sw.js", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.get_data()) == plain.get_data()
    assert b"const VERSION = 'dev'" not in plain.get_data()  # the version is still stamped in
    for header in ("Service-Worker-Allowed", "Cache-Control", "Content-Type"):
        assert packed.headers[header] == plain.headers[header]
    for path in ("/", "/app.css", "/js/app.js"):
        response = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert response.headers["Content-Encoding"] == "gzip", path
        assert response.headers["Cache-Control"] == "no-cache"
    page = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert "Content-Security-Policy" in page.headers


def test_small_answers_and_photos_are_sent_as_they_are(api):
    client = api("ta")
    small = client.get("/api/v1/me", headers={"Accept-Encoding": "gzip"})
    assert small.status_code == 200 and "Content-Encoding" not in small.headers
    out = io.BytesIO()
    Image.effect_noise((600, 600), 80).convert("RGB").save(out, "PNG")
    photo = out.getvalue()
    digest = hashlib.sha256(photo).hexdigest()
    stored = client.put(f"/api/v1/attachments/{digest}", data=photo, content_type="image/png")
    assert stored.status_code == 201, stored.get_json()
    for suffix in ("", "/thumbnail"):
        response = client.get(
            f"/api/v1/attachments/{digest}{suffix}", headers={"Accept-Encoding": "gzip, br"}
        )
        assert response.status_code == 200
        assert response.mimetype.startswith("image/")
        assert "Content-Encoding" not in response.headers
