"""The HTTP shell: one blueprint per resource, registered on the flask-smorest Api."""
from server.api import (audit_log, auth, classes, concerns, passport_conflicts, provision, pupils,
                        staff, sync)


def register(api) -> None:
    for blueprint in (auth.blp, pupils.blp, classes.blp, classes.terms_blp, staff.blp,
                      provision.interventions_blp, provision.groups_blp,
                      provision.enrolments_blp, audit_log.blp, sync.blp, concerns.blp,
                      passport_conflicts.blp):
        api.register_blueprint(blueprint)
