"""Fetch policies, versions, clauses and conflicts for a person, or 404."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from boundaries.core.access import can
from boundaries.core.models import Organisation, User
from boundaries.policies.models import (
    Clause,
    Policy,
    PolicyVersion,
    StatutoryConflict,
    VersionStatus,
)

PUBLIC_STATUSES = {VersionStatus.IN_FORCE, VersionStatus.SUPERSEDED}
AnyUser = User | AnonymousUser


def version_visible(user: AnyUser, version: PolicyVersion, organisation: Organisation) -> bool:
    action = "policy.view" if version.status in PUBLIC_STATUSES else "policy.view_draft"
    return can(user, action, organisation)


def policy_for(user: AnyUser, organisation: Organisation, pk: int) -> Policy:
    policy = Policy.objects.filter(organisation=organisation, pk=pk).first()
    if policy is None or not can(user, "policy.view", organisation):
        raise Http404("No such policy")
    return policy


def version_for(
    user: AnyUser, organisation: Organisation, pk: int, action: str | None = None
) -> PolicyVersion:
    version = (
        PolicyVersion.objects.select_related("policy__organisation", "adopted_from__policy")
        .filter(policy__organisation=organisation, pk=pk)
        .first()
    )
    if version is None or not version_visible(user, version, organisation):
        raise Http404("No such version")
    if action is not None and not can(user, action, organisation):
        raise Http404("No such version")
    return version


def clause_for(user: AnyUser, organisation: Organisation, pk: int, action: str) -> Clause:
    clause = (
        Clause.objects.select_related("version__policy")
        .filter(version__policy__organisation=organisation, pk=pk)
        .first()
    )
    if clause is None or not can(user, action, organisation):
        raise Http404("No such clause")
    if not version_visible(user, clause.version, organisation):
        raise Http404("No such clause")
    return clause


def conflict_for(
    user: AnyUser, organisation: Organisation, pk: int, action: str
) -> StatutoryConflict:
    conflict = (
        StatutoryConflict.objects.select_related("clause__version__policy")
        .filter(clause__version__policy__organisation=organisation, pk=pk)
        .first()
    )
    if conflict is None or not can(user, action, organisation):
        raise Http404("No such conflict")
    return conflict


def model_versions_for_school(school: Organisation) -> list[PolicyVersion]:
    """Published model versions of the authorities and trusts above a school."""
    return list(
        PolicyVersion.objects.select_related("policy__organisation")
        .filter(
            policy__is_model=True,
            policy__organisation__in=school.ancestors(),
            status=VersionStatus.IN_FORCE,
        )
        .order_by("policy__title")
    )
