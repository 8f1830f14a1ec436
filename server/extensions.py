"""Extensions, created unbound and bound to the app inside create_app."""
from apispec.ext.marshmallow import MarshmallowPlugin
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy

from server.models.base import Base


def schema_name(schema) -> str:
    """Name spec components after the schema, with "Patch" for the partial variants PATCH takes."""
    cls = schema if isinstance(schema, type) else type(schema)
    name = cls.__name__.removesuffix("Schema")
    partial = not isinstance(schema, type) and schema.partial
    return name + ("Patch" if partial else "")


db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True)
api = Api(spec_kwargs={"marshmallow_plugin": MarshmallowPlugin(schema_name_resolver=schema_name)})
