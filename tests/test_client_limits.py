"""The PWA checks records against the server's own limits before saving (issue: a 10,000-character
note was saved, refused and stuck). pwa/js/limits.js is generated from the schemas; this fails
when someone changes a schema without regenerating it (`flask pwa-limits`)."""

from schemas.client_limits import limits, module_text
from server.pwa import PWA_DIR


def test_the_committed_limits_module_matches_the_schemas():
    committed = (PWA_DIR / "js" / "limits.js").read_text(encoding="utf-8")
    assert committed == module_text(), "Run `flask pwa-limits` and commit pwa/js/limits.js."


def test_the_limits_carry_the_rules_the_app_checks():
    core = limits()["core"]
    attendance = core["session_record"]["fields"]["attendance"]
    assert attendance["items"]["fields"]["note"] == {"maxLength": 5000}
    assert attendance["minLength"] == 1
    assert core["session_record"]["fields"]["minutes_delivered"]["max"] == 300
    assert (
        core["conversation"]["fields"]["attendees"]["items"]["fields"]["name"]["maxLength"] == 200
    )
    assert limits()["session_run_margin_days"] == 14
