"""The CSRF token pages carry is Django's, masked more cheaply (security/csrf_tokens.py):
the middleware accepts it, refuses a tampered one, and every page gets a fresh mask."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest
from django.middleware.csrf import (  # type: ignore[attr-defined]  # private, to check the mask
    CSRF_ALLOWED_CHARS,
    _unmask_cipher_token,
)
from django.test import Client

from boundaries.security.csrf_tokens import masked
from tests.acknowledgements.helpers import import_staff, policy_in_force
from tests.cast import Cast
from tests.security.signin import sign_in_verified

SECRET = "abcdefghijklmnopqrstuvwxyzABCDEF"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


@pytest.fixture
def policy_to_read(cast: Cast) -> None:
    """The teacher and the head have a staff record and a policy to read."""
    import_staff(cast)
    policy_in_force(cast)


def _token_on(response: Any) -> str:
    assert response.status_code == 200
    found = TOKEN.search(response.text)
    assert found, "no CSRF token in the page"
    return found.group(1)


def test_a_masked_token_unmasks_to_the_secret_and_differs_every_time() -> None:
    tokens = {masked(SECRET) for _ in range(200)}
    assert len(tokens) == 200
    for token in tokens:
        assert len(token) == 64 and set(token) <= set(CSRF_ALLOWED_CHARS)
        assert _unmask_cipher_token(token) == SECRET


def test_every_character_of_the_mask_is_equally_likely() -> None:
    # 20,000 masks of 32: about 10,300 of each of the 62 characters. Taking bytes modulo 62
    # without dropping the top eight values would give eight characters 25% more.
    counts = Counter("".join(masked(SECRET)[:32] for _ in range(20_000)))
    assert set(counts) == set(CSRF_ALLOWED_CHARS)
    assert max(counts.values()) / min(counts.values()) < 1.12


@pytest.mark.django_db
def test_the_token_on_a_page_signs_out_and_a_tampered_one_is_refused(
    cast: Cast, policy_to_read: None
) -> None:
    client = Client(enforce_csrf_checks=True)
    sign_in_verified(client, cast.teacher)
    token = _token_on(client.get("/o/rivington/to-read/"))
    # Another mask over the same secret passes; a changed secret does not.
    tampered = token[:32] + ("B" if token[32] == "A" else "A") + token[33:]
    assert client.post("/sign-out/", {"csrfmiddlewaretoken": tampered}).status_code == 403
    assert client.get("/o/rivington/to-read/").status_code == 200  # still signed in
    assert client.post("/sign-out/", {"csrfmiddlewaretoken": token}).status_code == 302
    assert client.get("/o/rivington/to-read/").status_code == 302  # signed out


@pytest.mark.django_db
def test_two_pages_carry_different_tokens_for_one_cookie(cast: Cast, policy_to_read: None) -> None:
    client = Client(enforce_csrf_checks=True)
    sign_in_verified(client, cast.head)
    first = _token_on(client.get("/o/rivington/to-read/"))
    second = _token_on(client.get("/o/rivington/reports/acknowledgements/"))
    assert first != second
    assert _unmask_cipher_token(first) == _unmask_cipher_token(second)


@pytest.mark.django_db
def test_a_first_visit_gets_a_cookie_and_a_token_that_signs_in(cast: Cast) -> None:
    client = Client(enforce_csrf_checks=True)
    page = client.get("/sign-in/")
    assert page.cookies.get("csrftoken"), "no CSRF cookie on the first page"
    answer = client.post(
        "/sign-in/",
        {"username": "teacher", "password": "x" * 20, "csrfmiddlewaretoken": _token_on(page)},
    )
    assert answer.status_code == 200  # the form again (wrong password), not 403


@pytest.mark.django_db
def test_the_cookie_lasts_the_browser_session_and_is_sent_only_when_new(
    cast: Cast, policy_to_read: None
) -> None:
    client = Client(enforce_csrf_checks=True)
    first = client.get("/sign-in/")
    cookie = first.cookies["csrftoken"]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # gone when the browser closes
    sign_in_verified(client, cast.teacher)
    page = client.get("/o/rivington/to-read/")
    assert "csrftoken" not in page.cookies  # the browser's cookie still serves
    assert client.post("/sign-out/", {"csrfmiddlewaretoken": _token_on(page)}).status_code == 302
