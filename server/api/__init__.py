"""The HTTP shell: one blueprint per resource, registered on the flask-smorest Api."""

from server.api import (
    attachments,
    audit_log,
    auth,
    classes,
    concerns,
    data_access,
    entries,
    entry_print,
    erasure,
    group_end,  # noqa: F401  (adds POST /groups/<id>/end to the groups blueprint)
    mis,
    passport_conflicts,
    passport_suggestions,
    passports,
    provision,
    provision_map,
    pupil_data,
    pupil_mode,
    pupils,
    reviews,
    roster,
    security,
    staff,
    sync,
    templates,
    trust,
)

# Privacy and account safety: registered in their own list so the resources above stay apart.
PRIVACY = (security.blp, pupil_mode.blp, pupil_data.blp, erasure.blp, data_access.blp)


# A trust's or local authority's view across its schools (issue 16).
TRUST = (trust.blp,)


def register(api) -> None:
    for blueprint in (
        auth.blp,
        pupils.blp,
        classes.blp,
        classes.terms_blp,
        staff.blp,
        provision.interventions_blp,
        provision.groups_blp,
        provision.enrolments_blp,
        roster.blp,
        templates.blp,
        sync.blp,
        entries.blp,
        entry_print.blp,
        attachments.blp,
        concerns.blp,
        passports.blp,
        passport_conflicts.blp,
        passport_suggestions.blp,
        provision_map.blp,
        reviews.blp,
        audit_log.blp,
        mis.blp,
    ):
        api.register_blueprint(blueprint)
    for blueprint in PRIVACY:
        api.register_blueprint(blueprint)
    for blueprint in TRUST:
        api.register_blueprint(blueprint)
