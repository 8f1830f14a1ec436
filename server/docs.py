"""A readable API docs page rendered on the server from the OpenAPI spec: no third-party script."""

from flask import render_template

from server.extensions import api


def docs_page():
    return render_template("api_docs.html", spec=api.spec.to_dict())


def init_app(app) -> None:
    app.add_url_rule("/api/v1/docs", "api_docs", docs_page)
