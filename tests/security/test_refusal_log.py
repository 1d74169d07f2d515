"""Each refusal of a signed-in person is one line on `boundaries.security.refused`, with the
request's identifier, which every answer carries back as `X-Request-ID`."""

from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings
from django.urls import resolve

from boundaries.core.models import User
from tests.cast import Cast
from tests.security.signin import sign_in_verified
from tests.security.test_permission_matrix import _routes

LINE = re.compile(
    r"\S+Z WARNING boundaries\.security\.refused (?P<request>\S+) refused "
    r"status=(?P<status>40[34]) user=(?P<user>\S+) route=(?P<route>\S+) kind=(?P<kind>\S+) "
    r"(?P<given>.+) address=(?P<address>\S+)"
)
NO_SUCH = 999_999


def _refusals(capsys: pytest.CaptureFixture[str]) -> list[re.Match[str]]:
    lines = capsys.readouterr().err.splitlines()
    return [m for line in lines if (m := LINE.fullmatch(line))]


def _object_routes() -> list[tuple[str, str]]:
    """(route name, path at Rivington) of every page and API operation with an org."""
    found = []
    for pattern, name in _routes():
        params = re.findall(r"<(?:([a-z]+):)?([a-z_]+)>", pattern)
        if ("slug", "org") not in params and ("", "org") not in params:
            continue
        path = re.sub(r"<(?:slug:)?org>", "rivington", pattern)
        path = re.sub(r"<int:[a-z_]+>", str(NO_SUCH), path)
        found.append((name, "/" + path.replace("<kind>", "staff")))
    return found


def _ask(client: Client, path: str) -> int:
    status = client.get(path).status_code
    return client.post(path).status_code if status == 405 else status


def _check_each_refusal_is_logged(
    client: Client, user: User, capsys: pytest.CaptureFixture[str]
) -> tuple[int, set[str]]:
    sign_in_verified(client, user)
    capsys.readouterr()
    unlogged, refused, kinds = [], 0, set()
    for name, path in _object_routes():
        status = _ask(client, path)
        lines = _refusals(capsys)
        if status not in (403, 404):
            assert not lines, (name, status, lines)
            continue
        refused += 1
        # The API's operations on one path share the first one's route name.
        route = resolve(path).view_name
        if len(lines) != 1 or lines[0]["route"] != route or lines[0]["user"] != str(user.pk):
            unlogged.append((name, status, [m.group() for m in lines]))
            continue
        assert "org=rivington" in lines[0]["given"], lines[0].group()
        kinds.add(lines[0]["kind"])
    assert not unlogged, unlogged
    return refused, kinds


def test_every_refusal_at_another_school_is_logged_with_the_route_and_organisation(
    cast: Cast, client: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    refused, kinds = _check_each_refusal_is_logged(client, cast.other_head, capsys)
    assert refused > 60
    assert "organisation" in kinds


def test_every_object_access_function_logs_the_kind_and_id_it_refused(
    cast: Cast, client: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    refused, kinds = _check_each_refusal_is_logged(client, cast.head, capsys)
    assert refused > 40
    reached = {
        # policies/access.py
        *["policy", "version", "clause", "conflict"],
        # declarations/access.py
        *["declaration", "vacancy", "device", "loan"],
        # concerns/access.py
        *["concern", "report", "file"],
        # acknowledgements/access.py, security/people_views.py, webactivity/access.py
        *["assignment", "person", "challenge"],
    }
    assert reached <= kinds, sorted(reached - kinds)


def test_the_line_names_ids_and_never_the_person_or_the_school(
    cast: Cast, client: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    sign_in_verified(client, cast.other_head)
    capsys.readouterr()
    response = client.get(f"/o/rivington/concerns/{NO_SUCH}/", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 404
    (line,) = _refusals(capsys)
    assert line["user"] == str(cast.other_head.pk)
    assert line["route"] == "concerns:detail"
    assert line["given"] == f"org=rivington pk={NO_SUCH}"
    assert line["address"] == "203.0.113.9"
    assert line["request"] == response["X-Request-ID"]
    for personal in ["otherhead", "Otherhead", "Tester", "@", "Rivington", "Brookside"]:
        assert personal not in line.group()


def test_a_url_that_matches_no_route_and_anyone_signed_out_are_not_logged(
    cast: Cast, client: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    client.get(f"/o/rivington/concerns/{NO_SUCH}/")
    sign_in_verified(client, cast.other_head)
    capsys.readouterr()
    assert client.get("/no/such/page/").status_code == 404
    assert client.get("/o/rivington/no-such-page/").status_code == 404
    assert not _refusals(capsys)


def test_an_api_refusal_is_logged_too(
    cast: Cast, client: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    sign_in_verified(client, cast.other_head)
    capsys.readouterr()
    path = f"/api/v1/organisations/rivington/concerns/{NO_SUCH}"
    assert client.get(path, secure=True).status_code == 404
    (line,) = _refusals(capsys)
    assert line["route"] == "api-v1:get_concern"


def test_each_answer_carries_a_new_request_id(cast: Cast, client: Client) -> None:
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/sign-in/")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{16}", first)
    assert first != second


@pytest.mark.parametrize("trusted", [False, True])
def test_the_proxys_request_id_is_used_only_when_the_proxy_is_trusted(
    client: Client, trusted: bool
) -> None:
    given = "4b1d2c3e5f60718293a4b5c6d7e8f901"
    with override_settings(TRUST_X_FORWARDED_FOR=trusted):
        echoed = client.get("/healthz", HTTP_X_REQUEST_ID=given)["X-Request-ID"]
        forged = client.get("/healthz", HTTP_X_REQUEST_ID="abcdefgh\nforged")["X-Request-ID"]
    assert (echoed == given) is trusted
    assert re.fullmatch(r"[0-9a-f]{16}", forged)


def test_lines_written_during_a_request_carry_its_id(
    cast: Cast, client: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    response = client.post("/sign-in/", {"username": "head", "password": "wrong"})
    lines = capsys.readouterr().err.splitlines()
    mine = [line for line in lines if f" {response['X-Request-ID']} " in line]
    assert any("boundaries.security" in line for line in mine), lines
