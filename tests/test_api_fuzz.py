"""Schemathesis fuzzes every operation in /api/v1/openapi.json as a logged-in SENCO: no 5xx.

Bounded (a few examples per operation) so CI stays quick; the check is only "no server error".
Driven through hypothesis directly: schemathesis's pytest plugin does not load on pytest 9.
"""

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from tests.support import ApiClient

SKIP = {("POST", "/api/v1/auth/logout")}  # logging out would leave only the 401 path to fuzz


def senco_headers(app, world) -> dict:
    client = ApiClient(app.test_client())
    client.login(world["home"]["staff"]["senco"]["email"], world.password)
    cookie = client.client.get_cookie("session")
    return {
        "Cookie": f"session={cookie.value}",
        "X-CSRF-Token": client.csrf,
        "X-Device-Id": "fuzzer",
    }


def fuzz(operation, headers: dict) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=8,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        case.call_and_validate(headers=headers, checks=[not_a_server_error])

    run()


def test_no_operation_answers_with_a_server_error(app, world):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = senco_headers(app, world)
    fuzzed = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIP:
            continue
        fuzz(operation, headers)
        fuzzed.append(f"{operation.method.upper()} {operation.path}")
    assert len(fuzzed) > 30, fuzzed
