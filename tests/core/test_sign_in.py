from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client

from boundaries.core.models import User
from tests.cast import PASSWORD, Cast


def test_a_person_signs_in_with_username_or_email(cast: Cast, client: Client) -> None:
    for name in ("head", "HEAD@rivington.example"):
        response = client.post("/sign-in/", {"username": name, "password": PASSWORD})
        assert response.status_code == 302, name
        assert client.get("/").status_code == 200
        client.post("/sign-out/")


@pytest.mark.real_hashing
def test_passwords_are_stored_with_argon2(cast: Cast) -> None:
    assert User.objects.get(username="head").password.startswith("argon2")


@pytest.mark.parametrize("username", ["head", "nobody-here"])
def test_a_wrong_password_and_an_unknown_account_read_the_same(
    cast: Cast, client: Client, username: str
) -> None:
    response = client.post("/sign-in/", {"username": username, "password": "wrong password!"})
    assert response.status_code == 200
    assert "Enter a correct username or email address and password" in response.text
    assert "govuk-error-summary" in response.text


def test_pages_need_sign_in(cast: Cast, client: Client) -> None:
    response = client.get("/o/rivington/policies/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_signing_out_ends_the_session_on_the_server(cast: Cast, client: Client) -> None:
    client.post("/sign-in/", {"username": "head", "password": PASSWORD})
    session_key = client.session.session_key
    client.post("/sign-out/")
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=session_key).exists()
    assert client.get("/").status_code == 302


def test_a_disabled_account_cannot_sign_in(cast: Cast, client: Client) -> None:
    User.objects.filter(username="teacher").update(is_active=False)
    response = client.post("/sign-in/", {"username": "teacher", "password": PASSWORD})
    assert response.status_code == 200


def test_sessions_expire_after_idle_minutes() -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_RENEW_SECONDS <= 60  # see tests/security for renewal


def test_password_reset_by_email_over_real_smtp(cast: Cast, client: Client, smtp_server) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/password-reset/", {"email": "teacher@rivington.example"})
    assert response.status_code == 302
    [message] = smtp_server.to("teacher@rivington.example")
    body = message.get_payload(decode=True).decode()
    link = re.search(r"https?://[^/]+(/password-reset/[^\s]+/)", body)
    assert link, body
    page = client.get(link.group(1), follow=True)
    assert "Choose a new password" in page.text
    new = "a brand new long passphrase"
    done = client.post(page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    client.post("/sign-out/")
    assert client.login(username="teacher", password=new)


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(
    cast: Cast,
    client: Client,
    smtp_server,  # type: ignore[no-untyped-def]
) -> None:
    response = client.post("/password-reset/", {"email": "nobody@rivington.example"}, follow=True)
    assert "Check your email" in response.text
    assert smtp_server.messages == []
