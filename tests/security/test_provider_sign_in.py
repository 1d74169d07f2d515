"""Sign-in with an organisation's OpenID Connect provider (as Entra ID or Google Workspace
would do it), against a real provider on loopback: discovery, PKCE, signed ID tokens."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client

from boundaries.core.models import AuditEvent, User
from boundaries.security.models import SignInProvider
from tests.cast import Cast
from tests.security.oidc_provider import Provider, running_provider


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


@pytest.fixture
def provider(cast: Cast) -> Iterator[Provider]:
    with running_provider() as running:
        SignInProvider.objects.create(
            organisation=cast.school,
            kind=SignInProvider.Kind.ENTRA,
            issuer=running.issuer,
            client_id=running.client_id,
            client_secret=running.client_secret,
            email_domains=["rivington.example"],
        )
        yield running


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
    cast: Cast, client: Client, provider: Provider, email: str, claims: dict, reason: str
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
