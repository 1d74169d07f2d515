"""The permission matrix, generated from the one table, holds through the access functions;
every route is in the route table, and the routes refuse (404) whoever the table refuses."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from boundaries.core.access import can
from boundaries.core.permissions import ACTIONS
from boundaries.core.roles import Role
from boundaries.security.matrix import RELATIONS, cases
from boundaries.security.routes import API_ROUTE_ACTIONS, PUBLIC, ROUTE_ACTIONS, SIGNED_IN
from tests.cast import Cast, person
from tests.security.signin import sign_in_verified


def _routes(
    resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str]]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _routes(entry, prefix + str(entry.pattern), full_ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield prefix + str(entry.pattern), name or f"(unnamed) {prefix}{entry.pattern}"


def _api_operations() -> set[str]:
    from boundaries.api.api import api

    schema = api.get_openapi_schema()
    return {f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops}


def test_every_api_operation_is_in_the_route_table() -> None:
    operations = _api_operations()
    missing = sorted(operations - set(API_ROUTE_ACTIONS))
    assert not missing, f"add these to API_ROUTE_ACTIONS in security/routes.py: {missing}"
    stale = sorted(set(API_ROUTE_ACTIONS) - operations)
    assert not stale, f"these API operations are gone; remove them: {stale}"


def test_every_route_is_in_the_route_table() -> None:
    names = {name for pattern, name in _routes() if not _is_api_operation(pattern)}
    missing = sorted(names - set(ROUTE_ACTIONS))
    assert not missing, f"add these routes to boundaries/security/routes.py: {missing}"
    stale = sorted(set(ROUTE_ACTIONS) - names)
    assert not stale, f"these routes are gone; remove them from routes.py: {stale}"


def _is_api_operation(pattern: str) -> bool:
    return pattern.startswith("api/v1/") and pattern not in {
        "api/v1/",
        "api/v1/openapi.json",
        "api/v1/docs",
    }


def test_every_route_table_entry_names_a_real_action() -> None:
    table = {**ROUTE_ACTIONS, **API_ROUTE_ACTIONS}
    unknown = {k: v for k, v in table.items() if v not in ACTIONS | {PUBLIC, SIGNED_IN}}
    assert not unknown


def test_organisation_routes_are_guarded_by_an_organisation_action() -> None:
    for pattern, name in _routes():
        if pattern.startswith("o/<slug:org>/"):
            assert ROUTE_ACTIONS[name] in ACTIONS, (pattern, name)
    for operation, action in API_ROUTE_ACTIONS.items():
        if "{org}" in operation:
            assert action in ACTIONS, operation


@pytest.fixture
def holders(cast: Cast) -> dict[tuple[str, str], object]:
    """One person per role held at the school and one per role held at the authority."""
    people: dict[tuple[str, str], object] = {}
    for role in Role.values:
        people[(role, "school")] = person(f"s-{role}", cast.school, role)
        people[(role, "authority")] = person(f"a-{role}", cast.authority, role)
    return people


def test_the_generated_matrix_holds_through_the_access_functions(
    cast: Cast, holders: dict[tuple[str, str], object], capsys: pytest.CaptureFixture[str]
) -> None:
    targets = {
        "same_school": ("school", cast.school),
        "other_school": ("school", cast.other_school),
        "from_authority": ("authority", cast.school),
        "at_authority": ("authority", cast.authority),
    }
    wrong = []
    all_cases = cases()
    for case in all_cases:
        where, organisation = targets[case.relation]
        user = holders[(case.role, where)]
        if can(user, case.action, organisation) != case.allowed:  # type: ignore[arg-type]
            wrong.append(case)
    assert not wrong
    allowed = Counter(c.allowed for c in all_cases)
    assert len(all_cases) == len(Role.values) * len(ACTIONS) * len(RELATIONS)
    assert not any(c.allowed for c in all_cases if c.relation == "other_school")
    with capsys.disabled():
        print(
            f"\npermission matrix: {len(all_cases)} cases "
            f"({len(Role.values)} roles x {len(ACTIONS)} actions x {len(RELATIONS)} relations; "
            f"{len({c.object_type for c in all_cases})} object types): "
            f"{allowed[True]} allowed, {allowed[False]} refused, 0 disagreements"
        )


def _org_only_routes() -> list[tuple[str, str, str]]:
    """(method, path, action) of pages and API operations whose only parameter is org."""
    found = []
    for pattern, name in _routes():
        if ROUTE_ACTIONS.get(name) in ACTIONS and re.findall(
            r"<(?:[a-z]+:)?([a-z_]+)>", pattern
        ) == ["org"]:
            found.append(("GET", "/" + pattern.replace("<slug:org>", "rivington"), name))
    for operation, action in API_ROUTE_ACTIONS.items():
        method, path = operation.split(" ")
        if action in ACTIONS and re.findall(r"{([a-z_]+)}", path) == ["org"]:
            found.append((method, path.replace("{org}", "rivington"), operation))
    return found


# Pages the table allows that then need the person's own staff record (404 without one).
NEEDS_A_RECORD = {
    "acknowledgements:to_read",
    "acknowledgements:my_record",
    "acknowledgements:privacy_check",
    "GET /api/v1/organisations/{org}/to-read",
}


@pytest.mark.parametrize("who", ["head", "dsl", "teacher", "governor", "other_head", "admin", "hr"])
def test_routes_refuse_whoever_the_table_refuses(cast: Cast, client: Client, who: str) -> None:
    user = getattr(cast, who)
    sign_in_verified(client, user)
    mismatched = []
    table = {**ROUTE_ACTIONS, **API_ROUTE_ACTIONS}
    for method, path, name in _org_only_routes():
        allowed = can(user, table[name], cast.school)
        send = client.post if method == "POST" else client.get
        status = send(path).status_code
        if status == 405:
            status = client.post(path).status_code
        if status in (400, 422) and path.startswith("/api/"):
            continue  # the empty body fails validation before anyone is asked: tells nothing
        if (status == 404) == allowed and name not in NEEDS_A_RECORD:
            mismatched.append((name, allowed, status))
    assert not mismatched, mismatched
