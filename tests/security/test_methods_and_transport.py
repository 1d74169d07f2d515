"""TRACE and TRACK are refused before any view; the API is refused over plain HTTP where
pages are redirected to HTTPS."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.cast import Cast
from tests.security.signin import sign_in_verified
from tests.security.test_production_settings import _production

ADDRESSES = ["/", "/sign-in/", "/o/rivington/", "/api/v1/organisations", "/no-such-page/"]


@pytest.mark.parametrize("method", ["TRACE", "TRACK"])
@pytest.mark.parametrize("url", ADDRESSES)
def test_trace_and_track_are_refused_everywhere(
    cast: Cast, client: Client, method: str, url: str
) -> None:
    sign_in_verified(client, cast.head)
    response = client.generic(method, url, headers={"X-Probe": "echo me"})
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS, POST"
    assert b"echo me" not in response.content


def test_the_pages_still_answer_their_own_methods(cast: Cast, client: Client) -> None:
    sign_in_verified(client, cast.head)
    assert client.get("/o/rivington/").status_code == 200
    assert client.head("/o/rivington/").status_code == 200
    assert client.get("/api/v1/organisations").status_code == 200


@pytest.fixture
def https_required(settings: Any) -> None:
    settings.SECURE_SSL_REDIRECT = True


@pytest.mark.usefixtures("https_required")
def test_the_api_over_plain_http_is_refused_not_redirected(cast: Cast, client: Client) -> None:
    sign_in_verified(client, cast.head)
    response = client.get("/api/v1/organisations")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert "HTTPS" in response.json()["detail"]
    assert "Location" not in response
    assert client.post("/api/v1/organisations", {}).status_code == 403


@pytest.mark.usefixtures("https_required")
def test_pages_over_plain_http_are_still_redirected_and_https_reaches_both(
    cast: Cast, client: Client
) -> None:
    sign_in_verified(client, cast.head)
    page = client.get("/o/rivington/")
    assert page.status_code == 301
    assert page["Location"] == "https://testserver/o/rivington/"
    assert client.get("/o/rivington/", secure=True).status_code == 200
    assert client.get("/api/v1/organisations", secure=True).status_code == 200


# The same, with production's own settings and middleware (HTTPS told by the proxy's header).
REQUESTS = """
import django, json
django.setup()
from django.test import Client
client = Client(HTTP_HOST="boundaries.example")
proxy = {"X-Forwarded-Proto": "https"}
answers = {}
for name, method, url, headers in [
    ("api_http", "GET", "/api/v1/organisations", {}),
    ("api_https", "GET", "/api/v1/organisations", proxy),
    ("page_http", "GET", "/sign-in/", {}),
    ("trace_https", "TRACE", "/sign-in/", proxy),
]:
    r = client.generic(method, url, headers=headers)
    answers[name] = [r.status_code, r.get("Location"), r.get("Content-Type"), r.content.decode()]
print(json.dumps(answers))
"""


def test_in_production_the_api_is_refused_over_http_and_pages_are_redirected(
    tmp_path: Path,
) -> None:
    result = _production(tmp_path, REQUESTS)
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout.splitlines()[-1])
    status, location, content_type, body = answers["api_http"]
    assert (status, location, content_type) == (403, None, "application/json")
    assert "HTTPS" in json.loads(body)["detail"]
    assert answers["api_https"][0] == 401  # reached the API, which asks who is calling
    assert answers["page_http"][:2] == [301, "https://boundaries.example/sign-in/"]
    assert answers["trace_https"][0] == 405
