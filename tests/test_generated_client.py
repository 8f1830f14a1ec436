"""A client generated from /api/v1/openapi.json by openapi-python-client works: a TA's day.

What another team would do with the contract: fetch the document from a live server, generate a
Python client from it, and use only that client to log in, pull everything, push a session
record and a pupil voice, and read the provision map. The generated code lives in a temporary
folder for the test and is never committed. Runs on SQLite, and on PostgreSQL when
TEST_DATABASE_URL is set.
"""

import importlib
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.contract_support import API, first_login, password, serving, ta_ops

GENERATOR = Path(sys.executable).with_name("openapi-python-client")
PACKAGE = "send_client"


@pytest.fixture
def generated(app, runner, tmp_path, monkeypatch):
    """The demo school served live, and a client package generated from its document."""
    assert runner.invoke(args=["demo"]).exit_code == 0
    with serving(app) as base:
        spec = tmp_path / "openapi.json"
        spec.write_bytes(requests.get(f"{base}{API}/openapi.json", timeout=30).content)
        config = tmp_path / "config.yaml"
        config.write_text(f"post_hooks: []\npackage_name_override: {PACKAGE}\n")
        made = subprocess.run(
            [
                str(GENERATOR),
                "generate",
                f"--path={spec}",
                f"--config={config}",
                "--meta=none",
                f"--output-path={tmp_path / PACKAGE}",
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert made.returncode == 0 and "Failed" not in made.stdout, made.stdout + made.stderr
        # Every operation the TA's day uses must have been generated (some binary bodies,
        # a photo's PUT, are not: the generator has no image/* request bodies).
        monkeypatch.syspath_prepend(str(tmp_path))
        for name in list(sys.modules):
            if name == PACKAGE or name.startswith(PACKAGE + "."):
                del sys.modules[name]
        yield base, importlib.import_module(PACKAGE)


def op(name: str):
    return importlib.import_module(f"{PACKAGE}.api.{name}")


def test_a_tas_day_through_the_generated_client(generated):
    base, package = generated
    models = importlib.import_module(f"{PACKAGE}.models")
    client = package.Client(base_url=base, raise_on_unexpected_status=True)

    # One client throughout: its httpx client keeps the session cookie (with_headers would
    # make a new one without it), so the CSRF token goes on that client's headers.
    headers = client.get_httpx_client().headers
    csrf = op("auth.get_api_v1_auth_csrf").sync(client=client)
    headers.update({"X-CSRF-Token": csrf.csrf_token, "X-Device-Id": "generated"})
    login = models.Login(email=first_login("ta"), password=password())
    me = op("auth.post_api_v1_auth_login").sync_detailed(client=client, body=login)
    assert me.status_code == 200, me.content
    headers["X-CSRF-Token"] = me.parsed.csrf_token
    assert op("auth.get_api_v1_me").sync(client=client).staff.role.value == "ta"

    changes, cursor = [], package.types.UNSET
    while True:
        page = op("sync.get_api_v1_sync_pull").sync_detailed(client=client, since=cursor)
        assert page.status_code == 200, page.content
        changes += [c.to_dict() for c in page.parsed.changes]
        cursor = page.parsed.cursor
        if not page.parsed.more:
            break
    assert {"pupil", "group", "enrolment", "entry"} <= {c["type"] for c in changes}

    ta_id = me.parsed.staff.id
    day = max(c["data"]["date"] for c in changes if c["type"] == "entry")
    push = models.Push.from_dict(
        {"device_id": "generated-tablet", "ops": ta_ops(changes, ta_id, day)}
    )
    pushed = op("sync.post_api_v1_sync_push").sync_detailed(client=client, body=push)
    assert pushed.status_code == 200, pushed.content
    assert [r.status.value for r in pushed.parsed.results] == ["accepted", "accepted"]

    mapped = op("provision_map.get_api_v1_provision_map").sync_detailed(client=client)
    assert mapped.status_code == 200, mapped.content
    assert mapped.parsed is not None and mapped.parsed.to_dict()
