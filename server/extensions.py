"""Extensions, created unbound and bound to the app inside create_app."""

import threading

import flask_smorest
import orjson
from apispec.ext.marshmallow import MarshmallowPlugin
from flask.json.provider import DefaultJSONProvider
from flask_compress import Compress
from flask_migrate import Migrate
from flask_smorest import Api, abort
from flask_sqlalchemy import SQLAlchemy
from marshmallow import missing
from webargs.flaskparser import FlaskParser, is_json_request

from schemas import jsonio
from server import pool
from server.models.base import Base


def schema_name(schema) -> str:
    """Name spec components after the schema, with "Patch" for the partial variants PATCH takes."""
    cls = schema if isinstance(schema, type) else type(schema)
    name = cls.__name__.removesuffix("Schema")
    partial = not isinstance(schema, type) and schema.partial
    return name + ("Patch" if partial else "")


class _SQLAlchemy(SQLAlchemy):
    """Adds the pool and timeouts (server/pool.py) to each engine once its URL is final, so a
    test's or a command's URL gets them too. (_apply_driver_defaults is Flask-SQLAlchemy 3's
    hook for per-URL options.)"""

    def _apply_driver_defaults(self, options, app):
        super()._apply_driver_defaults(options, app)
        pool.apply(options, app.config)


NO_BODY = "Send a JSON object."

db = _SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True)
compress = Compress()


class _Api(Api):
    """Documents the views the first time the OpenAPI document is read, not while the app is
    built: documenting every view was over half of create_app, which every test and every
    worker runs, and most never serve /api/v1/openapi.json. `finishing` adds a step run on the
    whole document once its views are in (server/docs.py)."""

    _undocumented: list | tuple = ()  # until init_app
    _finishers: list | tuple = ()

    def init_app(self, app, *, spec_kwargs=None):
        self._undocumented, self._finishers = [], []
        self._documenting = threading.Lock()
        super().init_app(app, spec_kwargs=spec_kwargs)

    def register_blueprint(self, blp, *, parameters=None, **options):
        # flask_smorest.Api.register_blueprint, with the documenting left to `spec`.
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        self._undocumented.append((self._app, blp, name, parameters))

    def finishing(self, step) -> None:
        self._finishers.append(step)

    @property
    def spec(self):
        if self._undocumented or self._finishers:
            with self._documenting:
                self._document()
        return self._spec

    @spec.setter
    def spec(self, value):
        self._spec = value

    def _document(self) -> None:
        while self._undocumented:
            app, blp, name, parameters = self._undocumented.pop(0)
            blp.register_views_in_doc(self, app, self._spec, name=name, parameters=parameters)
            self._spec.tag({"name": name, "description": blp.description})
        while self._finishers:
            self._finishers.pop(0)(self._spec)


api = _Api(spec_kwargs={"marshmallow_plugin": MarshmallowPlugin(schema_name_resolver=schema_name)})


class BodyParser(FlaskParser):
    """Bodies nested past jsonio.MAX_DEPTH are a 400 before any parser recurses into them. An
    operation that takes a JSON body needs one: the document says the body is required, and a
    PATCH with no body answered 200 having changed nothing."""

    def load_json(self, req, schema):
        data = super().load_json(req, schema)
        if data is missing and req.method in ("POST", "PUT", "PATCH"):
            if req.get_data(cache=True):
                abort(415, message="Send the body as JSON (Content-Type: application/json).")
            abort(422, message="This request needs a JSON body.", errors={"_schema": [NO_BODY]})
        return data

    def _raw_load_json(self, req):
        if is_json_request(req):
            self.check_nesting(req.get_data(cache=True))
        return super()._raw_load_json(req)

    @staticmethod
    def check_nesting(body: bytes) -> None:
        try:
            jsonio.check_nesting(body)
        except jsonio.TooDeep as err:
            abort(400, message=str(err))


class JSONProvider(DefaultJSONProvider):
    """request.get_json with the same limit; a ValueError there is Flask's 400. Responses through
    orjson: a large school's provision map is over a megabyte, and the standard library spent
    a third of its read encoding it (bench/merge.py). Keys stay sorted, as Flask sorts them;
    what orjson cannot write (an integer past 64 bits) goes the standard library's way."""

    def dumps(self, obj, **kwargs):
        try:
            return orjson.dumps(obj, default=self.default, option=_RESPONSE_OPTIONS).decode()
        except (TypeError, orjson.JSONEncodeError):
            return super().dumps(obj, **kwargs)

    def loads(self, s, **kwargs):
        jsonio.check_nesting(s.encode("utf-8", "surrogatepass") if isinstance(s, str) else s)
        return super().loads(s, **kwargs)


_RESPONSE_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS


# Each blueprint's @arguments takes its parser when the view module is imported, and every
# view module imports this one first (for db).
flask_smorest.Blueprint.ARGUMENTS_PARSER = BodyParser()
