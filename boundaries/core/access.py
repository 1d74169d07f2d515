"""The only way views, the API and the CLI fetch organisations on a person's behalf.

Each function answers the object or raises Http404, never 403: a person without the
right cannot tell whether the thing exists.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import Http404, HttpRequest

from boundaries.core import sql
from boundaries.core.models import AuditHead, Membership, Organisation, User
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


def organisation_columns(alias: str = "o", parent_alias: str = "p") -> str:
    """The organisation's and its parent's columns, for a statement built on
    `organisation_joins` (other apps' one-statement pages start from them)."""
    return f"{sql.columns(Organisation, alias)}, {sql.columns(Organisation, parent_alias)}"


def organisation_joins(alias: str = "o", parent_alias: str = "p") -> str:
    """`FROM` the organisation, with its parent joined; the caller adds `WHERE o.slug = %s`."""
    return (
        f"FROM {sql.table(Organisation)} {alias} LEFT JOIN {sql.table(Organisation)} "
        f"{parent_alias} ON {sql.column(Organisation, parent_alias, 'id')} = "
        f"{sql.column(Organisation, alias, 'parent')}"
    )


def organisation_from(row: Sequence[Any]) -> tuple[Organisation | None, Sequence[Any]]:
    """The organisation (its parent attached) from the front of a row that starts with
    `organisation_columns()`, and the rest of the row."""
    organisation, parent, *rest = sql.split(row, Organisation, Organisation)
    if organisation is not None and parent is not None:
        organisation.parent = parent
    return organisation, rest


def after_organisation(row: Sequence[Any]) -> Sequence[Any]:
    """The rest of such a row, without building the organisation again (a statement that
    returns one row per item repeats the organisation's columns on each)."""
    return row[2 * sql.width(Organisation) :]


def checked(
    user: User | AnonymousUser, organisation: Organisation | None, action: str
) -> Organisation:
    """The organisation if the person may do `action` there; otherwise the same 404 as an
    organisation that does not exist."""
    if organisation is None or not can(user, action, organisation):
        raise Http404("No such organisation")
    return organisation


@cache
def _by_slug_sql(vendor: str, with_head: bool) -> str:
    head = (
        f", {sql.column(AuditHead, 'h', 'last_seq')}, {sql.column(AuditHead, 'h', 'last_hash')}"
        if with_head
        else ""
    )
    joined_head = (
        f" LEFT JOIN {sql.table(AuditHead)} h ON {sql.column(AuditHead, 'h', 'id')} = 1"
        if with_head
        else ""
    )
    return (
        f"SELECT {organisation_columns()}{head} {organisation_joins()}{joined_head} "
        f"WHERE {sql.column(Organisation, 'o', 'slug')} = %s"
    )


def organisation_by_slug(slug: str) -> Organisation | None:
    """The organisation with its parent, in one hand-written query (core/sql.py says why:
    every page starts here)."""
    found = sql.rows(_by_slug_sql(connection.vendor, False), [slug])
    return organisation_from(found[0])[0] if found else None


def organisation_for(user: User | AnonymousUser, slug: str, action: str) -> Organisation:
    return checked(user, organisation_by_slug(slug), action)


def organisation_and_head_for(
    user: User | AnonymousUser, slug: str, action: str
) -> tuple[Organisation, tuple[int, str]]:
    """`organisation_for`, and the head of the audit chain read in the same statement, for
    a page whose figures are kept until the next write (core/figures_cache.py): on
    PostgreSQL each statement is a round trip, which cost the dashboard more than its
    figures did once kept (docs/decisions/0009)."""
    found = sql.rows(_by_slug_sql(connection.vendor, True), [slug])
    if not found:
        raise Http404("No such organisation")
    organisation, rest = organisation_from(found[0])
    seq, digest = rest
    return checked(user, organisation, action), (int(seq or 0), str(digest or ""))


def organisations_of(user: User | AnonymousUser) -> list[Organisation]:
    """Organisations a person can open: where they hold a role, and schools below those.
    An API token opens the organisation that issued it, and the schools below it that its
    scopes reach."""
    if not user.is_authenticated:
        return []
    token = getattr(user, "token", None)  # an API token stands in for a person
    holders = (
        Organisation.objects.filter(pk=token.organisation_id)
        if token is not None
        else Organisation.objects.filter(memberships__user=user).distinct()
    )
    direct = list(holders.select_related("parent"))
    result = {o.pk: o for o in direct}
    for org in direct:
        if org.is_umbrella:
            for child in Organisation.objects.filter(parent=org):
                if can(user, "organisation.view", child):
                    result[child.pk] = child
    return sorted(result.values(), key=lambda o: (o.parent_id is not None, o.name))
