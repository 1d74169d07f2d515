"""What Boundaries checks in the provider's answers beyond the ID token's signature: the
authorisation response's `iss` (RFC 9207, ASVS 5.0 V10.2.2), a fresh sign-in at the
provider when "confirm it is you" goes through it (`max_age=0` and `auth_time`, V7.6.1),
and the length of the RSA keys that sign ID tokens (V11.2.3). Against the real provider
on loopback."""

from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client
from django.utils import timezone
from joserfc.jwk import RSAKey

from boundaries.security import oidc, sessions
from tests.cast import Cast
from tests.security.oidc_provider import Provider
from tests.security.signin import enrol_totp, fresh_code
from tests.security.test_provider_sign_in import _sign_in, _visit_provider

TEACHER = "teacher@rivington.example"
HEAD = "head@rivington.example"
NEW_SERVICE = "/o/rivington/sign-in-services/new/"


def _refused(client: Client, response: object, words: str) -> None:
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert words in response.text.replace("&#x27;", "'")  # type: ignore[attr-defined]
    assert "_auth_user_id" not in client.session


def test_a_provider_that_promises_iss_and_sends_its_own_signs_people_in(
    cast: Cast, client: Client, provider: Provider
) -> None:
    provider.advertises_iss = True
    response = _sign_in(client, provider, TEACHER)
    assert response.status_code == 302, response.text  # type: ignore[attr-defined]
    assert int(client.session["_auth_user_id"]) == cast.teacher.pk


@pytest.mark.parametrize(
    ("promised", "sent"),
    [
        (True, "https://login.other-provider.example/v2.0"),  # mixed up with another
        (True, None),  # promised but left out
        (False, "https://login.other-provider.example/v2.0"),  # not promised, but wrong
    ],
    ids=["promised-wrong", "promised-missing", "unpromised-wrong"],
)
def test_a_code_from_another_provider_is_refused_before_it_is_exchanged(
    cast: Cast,
    client: Client,
    provider: Provider,
    caplog: pytest.LogCaptureFixture,
    promised: bool,
    sent: str | None,
) -> None:
    if promised:
        provider.discovery_overrides["authorization_response_iss_parameter_supported"] = True  # type: ignore[assignment]
    provider.response_iss = sent
    with caplog.at_level(logging.WARNING, logger="boundaries.security.oidc"):
        response = _sign_in(client, provider, TEACHER)
    _refused(client, response, "came from a different sign-in service")
    assert provider.token_requests == 0  # the code went nowhere
    assert any("the authorisation response's iss was" in m for m in caplog.messages)


def _signed_in_long_ago(client: Client, provider: Provider, email: str) -> None:
    """Signed in through the provider, the last re-authentication 11 minutes ago."""
    assert _sign_in(client, provider, email).status_code == 302  # type: ignore[attr-defined]
    session = client.session
    session[sessions.REAUTH_AT] = timezone.now().timestamp() - 11 * 60
    session.save()


def _confirm_through_provider(client: Client, provider: Provider, next_url: str) -> object:
    """Press "Confirm with Microsoft", sign in at the provider, come back."""
    page = client.get(f"/account/confirm/?next={next_url}")
    assert "Confirm with Microsoft" in page.text
    start = client.post("/account/confirm/organisation/", {"next": next_url})
    assert start.status_code == 302, start.text
    back = urlparse(_visit_provider(start["Location"]))
    return client.get(f"{back.path}?{back.query}")


def test_confirming_through_the_provider_asks_it_to_sign_the_person_in_again(
    cast: Cast, client: Client, provider: Provider
) -> None:
    _signed_in_long_ago(client, provider, HEAD)
    assert client.get(NEW_SERVICE).status_code == 302  # to "confirm it is you"
    response = _confirm_through_provider(client, provider, NEW_SERVICE)
    assert response.status_code == 302 and response["Location"] == NEW_SERVICE  # type: ignore[attr-defined,index]
    query = provider.queries[-1]
    assert query["max_age"] == "0" and query["prompt"] == "login"
    assert client.get(NEW_SERVICE).status_code == 200


@pytest.mark.parametrize(
    ("change", "value"),
    [("honours_max_age", False), ("sends_auth_time", False)],
    ids=["vouches-from-its-old-session", "no-auth-time"],
)
def test_a_provider_that_did_not_sign_the_person_in_again_confirms_nothing(
    cast: Cast,
    client: Client,
    provider: Provider,
    caplog: pytest.LogCaptureFixture,
    change: str,
    value: bool,
) -> None:
    _signed_in_long_ago(client, provider, HEAD)
    setattr(provider, change, value)
    with caplog.at_level(logging.WARNING, logger="boundaries.security.oidc"):
        response = _confirm_through_provider(client, provider, NEW_SERVICE)
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert "did not ask you to sign in again" in response.text  # type: ignore[attr-defined]
    assert any("is missing or older than the request" in m for m in caplog.messages)
    assert client.get(NEW_SERVICE).status_code == 302  # still not confirmed


def test_someone_else_at_the_provider_does_not_confirm_the_signed_in_person(
    cast: Cast, client: Client, provider: Provider
) -> None:
    _signed_in_long_ago(client, provider, HEAD)
    provider.next_claims = {"email": TEACHER, "email_verified": True}
    start = client.post("/account/confirm/organisation/", {"next": NEW_SERVICE})
    back = urlparse(_visit_provider(start["Location"]))
    response = client.get(f"{back.path}?{back.query}")
    assert response.status_code == 403
    assert "as someone else" in response.text
    assert int(client.session["_auth_user_id"]) == cast.head.pk
    assert client.get(NEW_SERVICE).status_code == 302


def test_with_an_authenticator_the_code_is_still_asked_after_the_provider_but_no_password(
    cast: Cast, client: Client, provider: Provider
) -> None:
    enrol_totp(cast.head)
    assert _sign_in(client, provider, HEAD)["Location"].startswith("/sign-in/code/")  # type: ignore[index]
    assert client.post("/sign-in/code/", {"code": fresh_code(cast.head)}).status_code == 302
    session = client.session
    session[sessions.REAUTH_AT] = timezone.now().timestamp() - 11 * 60
    session.save()
    response = _confirm_through_provider(client, provider, NEW_SERVICE)
    location = response["Location"]  # type: ignore[index]
    assert location.startswith("/account/confirm/")
    assert parse_qs(urlparse(location).query)["next"] == [NEW_SERVICE]
    page = client.get(location)
    assert "Code from your authenticator app" in page.text and "Password" not in page.text
    assert client.get(NEW_SERVICE).status_code == 302
    done = client.post(location, {"code": fresh_code(cast.head), "next": NEW_SERVICE})
    assert done.status_code == 302 and done["Location"] == NEW_SERVICE
    assert client.get(NEW_SERVICE).status_code == 200


def test_a_token_signed_with_an_rsa_key_under_2048_bits_is_refused(
    cast: Cast, client: Client, provider: Provider, caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.warns(UserWarning, match="2048"):
        provider.key = RSAKey.generate_key(
            1024, parameters={"kid": "test-1", "use": "sig", "alg": "RS256"}
        )
    with caplog.at_level(logging.WARNING, logger="boundaries.security.oidc"):
        response = _sign_in(client, provider, TEACHER)
    _refused(client, response, "could not be trusted")
    assert any("is RSA of 1024 bits, under 2048" in m for m in caplog.messages)
    assert oidc.MIN_RSA_BITS == 2048
