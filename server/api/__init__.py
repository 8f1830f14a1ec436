"""The HTTP shell: one blueprint per resource, registered on the flask-smorest Api."""
from server.api import audit_log, auth, classes, provision, pupils, staff


def register(api) -> None:
    for blueprint in (auth.blp, pupils.blp, classes.blp, classes.terms_blp, staff.blp,
                      provision.interventions_blp, provision.groups_blp,
                      provision.enrolments_blp, audit_log.blp):
        api.register_blueprint(blueprint)
