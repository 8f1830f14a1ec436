"""The Flask application factory."""

import os

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from server.config import Config


def create_app(test_config: dict | None = None) -> Flask:
    """Create the app: config from the environment (or the test mapping), then extensions, then views."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        instance_path=os.environ.get("INSTANCE_PATH") or None,
    )
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_object(Config(app.instance_path))
    if test_config:
        app.config.update(test_config)
    app.config["PERMANENT_SESSION_LIFETIME"] = app.config["SESSION_LIFETIME_HOURS"] * 3600

    from server import auth, cli, docs, errors, headers, login_limits, pool, pwa
    from server.api import register
    from server.extensions import JSONProvider, api, compress, db, migrate

    app.json = JSONProvider(app)

    # Before any route is added: every <int:...> in a URL is then an id the database can hold.
    app.url_map.converters["int"] = IdConverter
    db.init_app(app)
    pool.init_app(app, db.session)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "migrations"))
    api.init_app(app)
    register(api)
    errors.init_app(app)
    docs.init_app(app)
    cli.init_app(app)
    pwa.init_app(app)
    compress.init_app(app)
    app.before_request(_limit_json_bodies)
    app.before_request(auth.load_login)
    app.after_request(_security_headers)
    headers.init_app(app)
    login_limits.init_app(app)
    _trust_proxies(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Behind nginx every request seems to come from nginx: the login limit, which also counts
    failures per address, would then lock out the whole school at once, and the audit would
    record one address for everyone. Believe the proxy's headers, and only its hops."""
    hops = app.config["PROXY_HOPS"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


class IdConverter(IntegerConverter):
    """<int:...> that 404s for numbers no row can have, instead of overflowing the database."""

    def __init__(self, map, *args, **kwargs):
        from schemas.base import MAX_ID

        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def _limit_json_bodies() -> None:
    # Uploads may be up to MAX_CONTENT_LENGTH; JSON bodies have no reason to be that large.
    # is_json also covers application/*+json, which the request parser reads as JSON too.
    if request.is_json:
        from flask import current_app

        request.max_content_length = current_app.config["MAX_JSON_BYTES"]


def _security_headers(response):
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if request.path.startswith("/api/"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response
