"""The document is the contract: Schemathesis runs every check it has (`--checks all`) on
every operation in /api/v1/openapi.json, against a live server holding the demo school, as the
SENCO, a TA and a viewer. Zero failures is the bar.

The operations come from the document, never a list here, so endpoints added later are held to
the same bar. tests/contract_schemathesis.toml widens a check for an operation only where the
document cannot say the server's rule, each with its reason. A fixed seed and a few examples
per operation keep each role's run to a minute or so.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.contract_support import API, first_login, password, serving

CONFIG = Path(__file__).with_name("contract_schemathesis.toml")
ST = Path(sys.executable).with_name("st")
SEED = "17"
EXAMPLES = os.environ.get("CONTRACT_EXAMPLES", "5")
# Operations that would end the run's own session or lock it: logging out, pupil mode (the
# session may then add one pupil's voice only), a password change, or a school setting that
# demands a second factor. Their contracts are tested by their own test modules.
SESSION_ENDERS = (
    "--exclude-path=/api/v1/auth/logout",
    "--exclude-path=/api/v1/auth/password",
    "--exclude-path-regex=/pupil-mode",
    "--exclude-path=/api/v1/security/settings",
)


@pytest.fixture
def live_server(app, runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    with serving(app) as base:
        yield base


def logged_in(base: str, role: str) -> list[str]:
    """Headers for a session of `role`: cookie, CSRF token and a device id."""
    session = requests.Session()
    csrf = session.get(f"{base}{API}/auth/csrf").json()["csrf_token"]
    response = session.post(
        f"{base}{API}/auth/login",
        json={"email": first_login(role), "password": password()},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 200, response.text
    return [
        f"Cookie: session={session.cookies['session']}",
        f"X-CSRF-Token: {response.json()['csrf_token']}",
        f"X-Device-Id: contract-{role}",
    ]


@pytest.mark.parametrize("role", ["senco", "ta", "viewer"])
def test_every_operation_keeps_the_contract(live_server, role, tmp_path):
    headers = [arg for header in logged_in(live_server, role) for arg in ("-H", header)]
    command = [
        str(ST),
        "--no-color",
        f"--config-file={CONFIG}",
        "run",
        f"{live_server}{API}/openapi.json",
        "--checks=all",
        f"--seed={SEED}",
        f"--max-examples={EXAMPLES}",
        "--workers=1",
        "--suppress-health-check=all",
        *SESSION_ENDERS,
        *headers,
    ]
    result = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=900)
    output = result.stdout + result.stderr
    summary = output[output.rfind("SUMMARY") :]
    print(summary)
    assert result.returncode == 0, output[-20000:]
