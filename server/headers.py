"""Headers the app adds to every response it can: HSTS over HTTPS, and a strict CSP on the
server-rendered HTML pages (the passport print and the API docs) that carry none of their own.

Those pages style themselves with an inline <style> and run no script: their CSP allows exactly
those stylesheets, by hash, and nothing else, so a name typed into a passport field can never
run as script in a SENCO's browser.
"""

import base64
import hashlib
import re

from flask import current_app, request

STYLE = re.compile(rb"<style[^>]*>(.*?)</style>", re.S | re.I)
# Server-rendered pages without a CSP of their own: the passport print and the API docs.
HTML_PAGES = frozenset({"api_docs", "passports.PassportPrint"})


def page_csp(html: bytes) -> str:
    hashes = sorted(
        {
            f"'sha256-{base64.b64encode(hashlib.sha256(css).digest()).decode()}'"
            for css in STYLE.findall(html)
        }
    )
    styles = " ".join(hashes) or "'none'"
    return (
        f"default-src 'none'; style-src {styles}; img-src data:; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'"
    )


def add_headers(response):
    seconds = current_app.config["HSTS_SECONDS"]
    if seconds and request.is_secure:
        # Only over HTTPS (browsers ignore it otherwise); behind nginx, PROXY_HOPS makes the
        # forwarded scheme count.
        response.headers.setdefault(
            "Strict-Transport-Security", f"max-age={seconds}; includeSubDomains"
        )
    if (
        request.endpoint in HTML_PAGES
        and response.mimetype == "text/html"
        and "Content-Security-Policy" not in response.headers
        and not response.direct_passthrough
    ):
        response.headers["Content-Security-Policy"] = page_csp(response.get_data())
    return response


def init_app(app) -> None:
    app.after_request(add_headers)
