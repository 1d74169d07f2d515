"""The only way views, the API and the CLI fetch organisations on a person's behalf.

Each function answers the object or raises Http404, never 403: a person without the
right cannot tell whether the thing exists.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import Http404, HttpRequest

from boundaries.core import sql
from boundaries.core.models import Membership, Organisation, User
from boundaries.core.permissions import allows


def remember_roles(user: User, memberships: Iterable[tuple[int, str]]) -> dict[int, set[str]]:
    """Keep a person's (organisation id, role) pairs on this request's user object, for
    `roles_in`; the session query passes them when it finds the person."""
    cache: dict[int, set[str]] = {}
    for org_id, role in memberships:
        cache.setdefault(org_id, set()).add(role)
    setattr(user, "_roles_cache", cache)  # noqa: B010 - a per-request cache on the user
    return cache


def _roles(user: User) -> dict[int, set[str]]:
    cache: dict[int, set[str]] | None = getattr(user, "_roles_cache", None)
    if cache is None:
        cache = remember_roles(
            user, Membership.objects.filter(user=user).values_list("organisation_id", "role")
        )
    return cache


def held_roles(user: User) -> set[str]:
    """Every role the person holds, in any organisation (for this request)."""
    return set().union(*_roles(user).values())


def roles_in(user: User | AnonymousUser, organisation: Organisation) -> tuple[set[str], set[str]]:
    """The roles held in the organisation itself and in the umbrellas above it."""
    if not user.is_authenticated or not user.is_active:
        return set(), set()
    cache = _roles(user)
    own = set(cache.get(organisation.pk, set()))
    above: set[str] = set()
    for ancestor in organisation.ancestors():
        above |= cache.get(ancestor.pk, set())
    return own, above


def acting_user(request: HttpRequest) -> User:
    """The signed-in person behind a request to a login_required view."""
    if not isinstance(request.user, User):
        raise Http404("Sign in first")
    return request.user


def can(user: User | AnonymousUser, action: str, organisation: Organisation) -> bool:
    own, above = roles_in(user, organisation)
    return allows(action, own, above)


@cache
def _by_slug_sql(vendor: str) -> str:
    return (
        f"SELECT {sql.columns(Organisation, 'o')}, {sql.columns(Organisation, 'p')} "  # noqa: S608  # nosec B608 - names from model metadata
        f"FROM {sql.table(Organisation)} o LEFT JOIN {sql.table(Organisation)} p "
        f"ON {sql.column(Organisation, 'p', 'id')} = {sql.column(Organisation, 'o', 'parent')} "
        f"WHERE {sql.column(Organisation, 'o', 'slug')} = %s"
    )


def organisation_by_slug(slug: str) -> Organisation | None:
    """The organisation with its parent, in one hand-written query (core/sql.py says why:
    every page starts here)."""
    found = sql.rows(_by_slug_sql(connection.vendor), [slug])
    if not found:
        return None
    organisation, parent = sql.split(found[0], Organisation, Organisation)
    if parent is not None:
        organisation.parent = parent
    return organisation


def organisation_for(user: User | AnonymousUser, slug: str, action: str) -> Organisation:
    organisation = organisation_by_slug(slug)
    if organisation is None or not can(user, action, organisation):
        raise Http404("No such organisation")
    return organisation


def organisations_of(user: User | AnonymousUser) -> list[Organisation]:
    """Organisations a person can open: where they hold a role, and schools below those."""
    if not user.is_authenticated:
        return []
    direct = list(
        Organisation.objects.filter(memberships__user=user).distinct().select_related("parent")
    )
    result = {o.pk: o for o in direct}
    for org in direct:
        if org.is_umbrella:
            for child in Organisation.objects.filter(parent=org):
                if can(user, "organisation.view", child):
                    result[child.pk] = child
    return sorted(result.values(), key=lambda o: (o.parent_id is not None, o.name))
