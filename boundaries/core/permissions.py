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
}

FROM_UMBRELLA: dict[str, frozenset[Role]] = {
    "organisation.view": frozenset({Role.AUTHORITY_ADMIN, Role.HR}),
    "policy.view": frozenset({Role.AUTHORITY_ADMIN, Role.HR}),
    "policy.view_draft": frozenset({Role.AUTHORITY_ADMIN}),
    "staff.view": frozenset({Role.HR}),
    "roster.import": frozenset({Role.HR}),
    "acknowledgements.view_names": frozenset({Role.HR}),
    "acknowledgements.view_rates": frozenset({Role.AUTHORITY_ADMIN, Role.HR}),
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
