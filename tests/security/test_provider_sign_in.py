"""Sign-in with an organisation's OpenID Connect provider (as Entra ID or Google Workspace
would do it), against a real provider on loopback: discovery, PKCE, signed ID tokens."""

from __future__ import annotations

import logging
import time
import urllib.request
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client

from boundaries.core.models import AuditEvent, User
from boundaries.security import oidc
from boundaries.security.models import SignInProvider
from tests.cast import Cast
from tests.security.oidc_provider import Provider


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def _visit_provider(url: str) -> str:
    """The browser's visit to the provider: answers where the provider sends it back."""
    opener = urllib.request.build_opener(_NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as redirect:
        opener.open(url, timeout=10)
    redirect.value.close()
    assert redirect.value.code == 302
    return str(redirect.value.headers["Location"])


def _sign_in(client: Client, provider: Provider, email: str, **claims: object) -> object:
    provider.next_claims = {"email": email, "email_verified": True, **claims}
    start = client.post("/sign-in/organisation/", {"email": email})
    assert start.status_code == 302, start.text
    authorize = urlparse(start["Location"])
    query = parse_qs(authorize.query)
    assert query["code_challenge_method"] == ["S256"] and query["nonce"] and query["state"]
    back = urlparse(_visit_provider(start["Location"]))
    return client.get(f"{back.path}?{back.query}")


def test_a_teacher_signs_in_with_the_school_account(
    cast: Cast, client: Client, provider: Provider
) -> None:
    response = _sign_in(client, provider, "Teacher@Rivington.example")
    assert response.status_code == 302, response.text  # type: ignore[attr-defined]
    assert client.get("/o/rivington/").status_code == 200
    assert int(client.session["_auth_user_id"]) == cast.teacher.pk
    assert AuditEvent.objects.filter(
        action="security.signed_in_with_provider", actor=cast.teacher
    ).exists()


@pytest.mark.mfa_required
def test_a_headteacher_still_needs_the_second_factor(
    cast: Cast, client: Client, provider: Provider
) -> None:
    response = _sign_in(client, provider, "head@rivington.example")
    assert response["Location"].startswith("/account/two-factor/set-up/")  # type: ignore[index]
    assert client.get("/o/rivington/").status_code == 302


@pytest.mark.mfa_required
def test_the_providers_own_mfa_counts_when_the_school_says_so(
    cast: Cast, client: Client, provider: Provider
) -> None:
    SignInProvider.objects.update(trusts_provider_mfa=True)
    _sign_in(client, provider, "head@rivington.example", amr=["pwd", "mfa"])
    assert client.get("/o/rivington/").status_code == 200


@pytest.mark.parametrize(
    ("email", "claims", "reason"),
    [
        ("teacher@rivington.example", {"email_verified": False}, "did not confirm your email"),
        ("someone-new@rivington.example", {}, "No account here uses"),
        ("otherhead@brookside.example", {}, "not an address this sign-in service"),
    ],
)
def test_no_account_is_made_or_entered_without_a_verified_matching_email(
    cast: Cast,
    client: Client,
    provider: Provider,
    email: str,
    claims: dict,
    reason: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    users = User.objects.count()
    provider.next_claims = {}
    start = client.post("/sign-in/organisation/", {"email": "teacher@rivington.example"})
    provider.next_claims = {"email": email, "email_verified": True, **claims}
    back = urlparse(_visit_provider(start["Location"]))
    response = client.get(f"{back.path}?{back.query}")
    assert response.status_code == 403
    assert reason in response.text
    assert User.objects.count() == users
    assert "_auth_user_id" not in client.session
    logged = [r.getMessage() for r in caplog.records if r.name == "boundaries.security"]
    assert any("authentication failed factor=provider" in line for line in logged)
    assert not any(email.split("@")[0] in line for line in logged)


def test_a_token_signed_with_another_key_is_refused(
    cast: Cast, client: Client, provider: Provider
) -> None:
    from joserfc.jwk import RSAKey

    provider.signing_key = RSAKey.generate_key(2048)
    response = _sign_in(client, provider, "teacher@rivington.example")
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert "_auth_user_id" not in client.session


def test_a_forged_state_is_refused(cast: Cast, client: Client, provider: Provider) -> None:
    start = client.post("/sign-in/organisation/", {"email": "teacher@rivington.example"})
    provider.next_claims = {"email": "teacher@rivington.example", "email_verified": True}
    back = urlparse(_visit_provider(start["Location"]))
    forged = back.query.replace("state=", "state=x")
    assert client.get(f"{back.path}?{forged}").status_code == 403
    assert provider.token_requests == 0


def test_a_disabled_account_cannot_sign_in_with_the_provider(
    cast: Cast, client: Client, provider: Provider
) -> None:
    User.objects.filter(pk=cast.teacher.pk).update(is_active=False)
    response = _sign_in(client, provider, "teacher@rivington.example")
    assert response.status_code == 403  # type: ignore[attr-defined]


def test_an_address_without_a_provider_gets_a_clear_message(client: Client, cast: Cast) -> None:
    response = client.post("/sign-in/organisation/", {"email": "someone@nowhere.example"})
    assert response.status_code == 200
    assert "has not set up sign-in with Microsoft or Google" in response.text


def _refused_as_unusable(client: Client, response: object, users: int, events: int) -> None:
    """The page says the provider's answer could not be used, and nothing was kept."""
    assert response.status_code == 403  # type: ignore[attr-defined]
    text = response.text  # type: ignore[attr-defined]
    assert "could not be used: it was too large or too slow" in text
    assert "nothing was kept" in text
    assert "_auth_user_id" not in client.session
    assert (User.objects.count(), AuditEvent.objects.count()) == (users, events)


@pytest.mark.parametrize(
    ("padding", "declares_length", "signed_in"),
    [
        (oidc.MAX_ANSWER_BYTES, True, False),  # with the ID token, just over the cap
        (oidc.MAX_ANSWER_BYTES, False, False),  # runs until the connection closes
        (oidc.MAX_ANSWER_BYTES - 4096, True, True),  # just under: read as before
        (oidc.MAX_ANSWER_BYTES - 4096, False, True),
    ],
    ids=["over-declared", "over-undeclared", "under-declared", "under-undeclared"],
)
def test_a_token_answer_over_128_kb_is_refused_and_nothing_is_kept(
    cast: Cast,
    client: Client,
    provider: Provider,
    caplog: pytest.LogCaptureFixture,
    padding: int,
    declares_length: bool,
    signed_in: bool,
) -> None:
    provider.token_padding, provider.token_declares_length = padding, declares_length
    users, events = User.objects.count(), AuditEvent.objects.count()
    with caplog.at_level(logging.WARNING, logger="boundaries.security.oidc"):
        response = _sign_in(client, provider, "teacher@rivington.example")
    assert provider.token_requests == 1
    if signed_in:
        assert response.status_code == 302  # type: ignore[attr-defined]
        assert int(client.session["_auth_user_id"]) == cast.teacher.pk
        return
    _refused_as_unusable(client, response, users, events)
    [line] = [r.getMessage() for r in caplog.records if r.name == "boundaries.security.oidc"]
    assert f"({provider.issuer}) refused: its token endpoint answer was unusable: too large" in line


def _hung_up_once(provider: Provider) -> bool:
    """Whether the client hung up on the provider's answer exactly once, waiting up to 10 s
    for the provider's thread to notice."""
    deadline = time.monotonic() + 10
    while not provider.cut_off and time.monotonic() < deadline:
        time.sleep(0.02)
    return provider.cut_off == 1


def test_a_huge_token_answer_without_a_length_is_not_read_to_its_end(
    cast: Cast, client: Client, provider: Provider
) -> None:
    provider.token_padding, provider.token_declares_length = 32 * 1024 * 1024, False
    users, events = User.objects.count(), AuditEvent.objects.count()
    response = _sign_in(client, provider, "teacher@rivington.example")
    _refused_as_unusable(client, response, users, events)
    # The client hung up mid-answer: 32 MB is more than loopback's socket buffers hold.
    assert _hung_up_once(provider)


def test_a_redirect_from_the_token_endpoint_is_followed_and_its_body_capped_too(
    cast: Cast, client: Client, provider: Provider
) -> None:
    provider.token_redirect_padding = 1024
    response = _sign_in(client, provider, "teacher@rivington.example")
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert int(client.session["_auth_user_id"]) == cast.teacher.pk
    client.logout()
    provider.token_redirect_padding = 32 * 1024 * 1024
    users, events = User.objects.count(), AuditEvent.objects.count()
    response = _sign_in(client, provider, "teacher@rivington.example")
    _refused_as_unusable(client, response, users, events)
    assert _hung_up_once(provider)


@pytest.mark.parametrize(
    ("slow", "seconds"),
    [
        ("token_stalls", 4.0),  # nothing at all for 4 s
        ("token_trickles", 0.1),  # 16 bytes every 0.1 s: the answer would take 8 s or more
    ],
    ids=["stalls", "trickles"],
)
def test_a_token_endpoint_slower_than_the_timeout_is_refused_within_it(
    cast: Cast,
    client: Client,
    provider: Provider,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    slow: str,
    seconds: float,
) -> None:
    monkeypatch.setattr(oidc, "TIMEOUT", 1)  # 10 s in use
    setattr(provider, slow, seconds)
    users, events = User.objects.count(), AuditEvent.objects.count()
    began = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="boundaries.security.oidc"):
        response = _sign_in(client, provider, "teacher@rivington.example")
    assert time.monotonic() - began < 3.5
    _refused_as_unusable(client, response, users, events)
    [line] = [r.getMessage() for r in caplog.records if r.name == "boundaries.security.oidc"]
    assert "its token endpoint answer was unusable: too slow" in line
