"""Who may do what, as one declarative table.

`SAME_ORG[action]` lists the roles that allow the action on an organisation's own
objects; `FROM_UMBRELLA[action]` the roles that allow it when held in an authority or
trust above that organisation. Everything else is refused, and refusals look like 404s.
"""

from __future__ import annotations

from boundaries.core.roles import Role

ALL_ROLES = frozenset(Role)

SAME_ORG: dict[str, frozenset[Role]] = {
    "organisation.view": ALL_ROLES,
    "policy.view": ALL_ROLES,
    "policy.view_draft": frozenset(
        {Role.HEADTEACHER, Role.GOVERNOR, Role.HR, Role.AUTHORITY_ADMIN}
    ),
    "policy.manage": frozenset({Role.HEADTEACHER, Role.AUTHORITY_ADMIN}),
    "policy.ratify": frozenset({Role.HEADTEACHER, Role.GOVERNOR}),
    "policy.adopt": frozenset({Role.HEADTEACHER}),
    "model.publish": frozenset({Role.AUTHORITY_ADMIN}),
    "adoption.view": frozenset({Role.AUTHORITY_ADMIN, Role.HR}),
    "conflict.decide": frozenset({Role.HEADTEACHER, Role.GOVERNOR}),
    "staff.view": frozenset({Role.HEADTEACHER, Role.HR}),
    "audit.view": frozenset({Role.HEADTEACHER, Role.AUTHORITY_ADMIN}),
    "roster.import": frozenset({Role.HEADTEACHER, Role.HR}),
    "acknowledgements.read": ALL_ROLES,
    "acknowledgements.manage": frozenset({Role.HEADTEACHER}),
    "acknowledgements.view_names": frozenset({Role.HEADTEACHER, Role.HR}),
    "acknowledgements.view_rates": frozenset({Role.HEADTEACHER, Role.HR, Role.GOVERNOR}),
    "reports.authority": frozenset({Role.AUTHORITY_ADMIN, Role.HR}),
    # Declarations, pupil contacts, concerns, recruitment and devices (issue 6). Owners and
    # line managers reach their own records through relationships in the access functions.
    "declaration.create": frozenset({Role.STAFF, Role.LINE_MANAGER, Role.HEADTEACHER, Role.DSL}),
    "declaration.review_list": frozenset({Role.LINE_MANAGER, Role.HEADTEACHER, Role.DSL}),
    "declaration.view_all": frozenset({Role.HEADTEACHER, Role.DSL}),
    "declaration.export": frozenset({Role.HEADTEACHER, Role.DSL}),
    "declaration.advice": frozenset({Role.HEADTEACHER, Role.DSL}),
    "pupil_contact.create": frozenset({Role.STAFF, Role.LINE_MANAGER, Role.HEADTEACHER, Role.DSL}),
    "pupil_contact.list": frozenset({Role.LINE_MANAGER, Role.HEADTEACHER, Role.DSL}),
    "pupil_contact.manage": frozenset({Role.HEADTEACHER, Role.DSL}),
    "pupil_contact.export": frozenset({Role.HEADTEACHER, Role.DSL}),
    "concern.raise": frozenset(
        {Role.STAFF, Role.LINE_MANAGER, Role.HEADTEACHER, Role.DSL, Role.HR, Role.GOVERNOR}
    ),
    "concern.log_complaint": frozenset({Role.HEADTEACHER, Role.DSL}),
    "concern.view": frozenset({Role.HEADTEACHER, Role.DSL, Role.HR}),
    "concern.triage": frozenset({Role.HEADTEACHER, Role.DSL}),
    "concern.manage": frozenset({Role.HEADTEACHER, Role.DSL, Role.HR}),
    "concern.export": frozenset({Role.HEADTEACHER, Role.DSL, Role.HR}),
    "concern.counts": frozenset(
        {Role.HEADTEACHER, Role.DSL, Role.HR, Role.GOVERNOR, Role.AUTHORITY_ADMIN}
    ),
    "recruitment.view": frozenset({Role.HEADTEACHER, Role.HR, Role.GOVERNOR}),
    "recruitment.manage": frozenset({Role.HEADTEACHER, Role.HR}),
    "device.view": frozenset({Role.HEADTEACHER, Role.DSL, Role.LINE_MANAGER}),
    "device.manage": frozenset({Role.HEADTEACHER, Role.DSL}),
    "screening.use": ALL_ROLES,
    "screening.manage": frozenset({Role.HEADTEACHER}),
    "webactivity.own": ALL_ROLES,
    "webactivity.report": frozenset({Role.HEADTEACHER, Role.HR}),
    "webactivity.manage": frozenset({Role.HEADTEACHER}),
    # An organisation's OpenID Connect sign-in service (Entra ID, Google Workspace). Only the
    # authority may let the service's own MFA stand in for our second factor.
    "sign_in_provider.manage": frozenset({Role.HEADTEACHER, Role.AUTHORITY_ADMIN}),
    "sign_in_provider.trust_mfa": frozenset({Role.AUTHORITY_ADMIN}),
    # Signing a person out everywhere, keeping their account (security/people_views.py).
    "sessions.end": frozenset({Role.HEADTEACHER, Role.AUTHORITY_ADMIN}),
}

FROM_UMBRELLA: dict[str, frozenset[Role]] = {
    "organisation.view": frozenset({Role.AUTHORITY_ADMIN, Role.HR}),
    "policy.view": frozenset({Role.AUTHORITY_ADMIN, Role.HR}),
    "policy.view_draft": frozenset({Role.AUTHORITY_ADMIN}),
    "staff.view": frozenset({Role.HR}),
    "concern.view": frozenset({Role.HR}),
    "concern.manage": frozenset({Role.HR}),
    "concern.export": frozenset({Role.HR}),
    "concern.counts": frozenset({Role.AUTHORITY_ADMIN, Role.HR}),
    "recruitment.view": frozenset({Role.HR, Role.AUTHORITY_ADMIN}),
    "webactivity.report": frozenset({Role.HR}),
    "sign_in_provider.manage": frozenset({Role.AUTHORITY_ADMIN}),
    "sign_in_provider.trust_mfa": frozenset({Role.AUTHORITY_ADMIN}),
    "sessions.end": frozenset({Role.AUTHORITY_ADMIN}),
}

ACTIONS = frozenset(SAME_ORG) | frozenset(FROM_UMBRELLA)


def allows(action: str, own_roles: set[str], umbrella_roles: set[str]) -> bool:
    if action not in ACTIONS:
        raise KeyError(f"unknown action {action!r}: add it to boundaries.core.permissions")
    same = SAME_ORG.get(action, frozenset())
    above = FROM_UMBRELLA.get(action, frozenset())
    return bool(own_roles & {r.value for r in same}) or bool(
        umbrella_roles & {r.value for r in above}
    )
