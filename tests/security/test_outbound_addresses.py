"""The server fetches a sign-in provider's addresses only over https, never on a private,
loopback or link-local network unless the deployment lists the host, and follows no redirect
from discovery or the signing keys (ASVS V1.3.6, V13.2.4, V13.2.5, V15.3.2)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client

from boundaries.core.models import AuditEvent, User
from boundaries.security import issuers
from boundaries.security.issuers import UnsafeAddress, check_url
from boundaries.security.models import SignInProvider
from tests.cast import Cast
from tests.security.oidc_provider import Provider
from tests.security.signin import sign_in_verified
from tests.security.test_provider_sign_in import _sign_in

PAGE = "/o/rivington/sign-in-services/"
PUBLIC = "93.184.215.14"
NAMES = {
    "login.example": [PUBLIC],
    "intranet.example": ["192.168.10.4"],
    "split.example": [PUBLIC, "10.0.0.7"],
    "localhost": ["127.0.0.1", "::1"],
}


def _resolver(host: str, port: int) -> list[str]:
    if host in NAMES:
        return NAMES[host]
    if host.replace(".", "").isdigit() or ":" in host:
        return [host]
    raise OSError("Name or service not known")


@pytest.fixture
def names(monkeypatch: pytest.MonkeyPatch) -> None:
    """Host names resolve from NAMES: the tests have no network."""
    monkeypatch.setattr(issuers, "resolve", _resolver)


@pytest.mark.parametrize(
    ("url", "refused_because"),
    [
        ("https://login.example/tenant/v2.0", None),
        (f"https://{PUBLIC}", None),
        ("http://login.example", "not http://"),
        ("ftp://login.example", "starting https://"),
        ("https://user:secret@login.example", "without a user name or password"),
        ("https://10.0.0.5", "private network (10.0.0.5)"),
        ("https://192.168.1.1:8443/idp", "private network"),
        ("https://169.254.169.254/latest/meta-data", "link-local network"),
        ("https://[fe80::1]", "link-local network"),
        ("https://127.0.0.1:9000", "loopback network"),
        ("https://[::1]", "loopback network"),
        ("https://[::ffff:127.0.0.1]", "loopback network (127.0.0.1)"),
        ("https://0.0.0.0", "network"),
        ("https://100.64.0.1", "reserved network"),
        ("https://localhost", "loopback network"),
        ("https://intranet.example", "private network (192.168.10.4)"),
        ("https://split.example", "private network (10.0.0.7)"),
        ("https://nowhere.example", "No address was found for nowhere.example"),
        ("http://127.0.0.1:9000", "not http://"),
    ],
)
def test_only_public_https_addresses_are_fetched(
    settings: Any, names: None, url: str, refused_because: str | None
) -> None:
    settings.OIDC_ALLOW_LOOPBACK_HTTP = False
    if refused_because is None:
        check_url(url)
        return
    with pytest.raises(UnsafeAddress) as refused:
        check_url(url)
    assert refused_because in str(refused.value)


@pytest.mark.parametrize(
    ("url", "debug", "test_setting", "allowed"),
    [
        ("http://127.0.0.1:9000", True, False, True),
        ("http://127.0.0.1:9000", False, True, True),
        ("http://localhost:9000", False, True, True),
        ("https://[::1]:9000", False, True, True),
        ("http://127.0.0.1:9000", False, False, False),
        ("http://10.0.0.5", True, True, False),  # only loopback may be plain http
        ("http://split.example", True, True, False),
    ],
)
def test_plain_http_on_loopback_only_with_debug_or_the_test_setting(
    settings: Any, names: None, url: str, debug: bool, test_setting: bool, allowed: bool
) -> None:
    settings.DEBUG, settings.OIDC_ALLOW_LOOPBACK_HTTP = debug, test_setting
    if allowed:
        check_url(url)
    else:
        with pytest.raises(UnsafeAddress):
            check_url(url)


def test_a_listed_host_on_the_organisations_network_is_allowed_over_https(
    settings: Any, names: None
) -> None:
    settings.OIDC_ALLOW_LOOPBACK_HTTP = False
    settings.OIDC_PRIVATE_ISSUER_HOSTS = ["Intranet.example"]
    check_url("https://intranet.example/adfs")
    with pytest.raises(UnsafeAddress, match="not http://"):
        check_url("http://intranet.example/adfs")
    with pytest.raises(UnsafeAddress, match="private network"):
        check_url("https://split.example")  # listing one host allows no other


# --- Saving a provider --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("issuer", "message"),
    [
        ("https://169.254.169.254/latest", "169.254.169.254 is on a link-local network"),
        ("https://intranet.example", "intranet.example is on a private network (192.168.10.4)"),
        ("http://login.example", "Enter the address starting https://, not http://"),
    ],
)
def test_a_headteacher_is_told_plainly_why_an_issuer_is_refused(
    cast: Cast, client: Client, names: None, issuer: str, message: str
) -> None:
    sign_in_verified(client, cast.head)
    response = client.post(
        PAGE + "new/",
        {
            "kind": "entra",
            "issuer": issuer,
            "client_id": "boundaries",
            "client_secret": "a secret",
            "email_domains": "rivington.example",
            "enabled": "on",
        },
    )
    assert response.status_code == 200
    text = response.text
    assert 'class="govuk-error-summary"' in text
    summary = text.split('class="govuk-error-summary"', 1)[1]
    assert '<a href="#id_issuer">' in summary and message in summary
    assert not SignInProvider.objects.exists()


# --- Signing in, and "test discovery" against the provider on loopback --------------------


def test_a_provider_saved_before_the_rule_is_refused_at_sign_in_without_a_request(
    cast: Cast, client: Client, provider: Provider, settings: Any, caplog: Any
) -> None:
    settings.OIDC_ALLOW_LOOPBACK_HTTP = False  # as in production: loopback is not reached
    with caplog.at_level(logging.WARNING, logger="boundaries.security.oidc"):
        response = client.post("/sign-in/organisation/", {"email": "teacher@rivington.example"})
    assert response.status_code == 200
    assert "Boundaries does not reach this sign-in service" in response.text
    assert provider.paths == [] and "_auth_user_id" not in client.session
    assert "its issuer address is not fetched" in caplog.text


def test_test_discovery_refuses_an_address_it_would_not_fetch(
    cast: Cast, client: Client, provider: Provider, settings: Any
) -> None:
    settings.OIDC_ALLOW_LOOPBACK_HTTP = False
    sign_in_verified(client, cast.head)
    row = SignInProvider.objects.get()
    page = client.post(f"{PAGE}{row.pk}/test/").text
    assert "Discovery failed" in page and "not http://" in page
    assert provider.paths == []


def test_a_redirect_from_discovery_is_not_followed(
    cast: Cast, client: Client, provider: Provider
) -> None:
    provider.discovery_redirect = "/elsewhere/.well-known/openid-configuration"
    sign_in_verified(client, cast.head)
    row = SignInProvider.objects.get()
    page = client.post(f"{PAGE}{row.pk}/test/").text
    assert "Discovery failed" in page and "redirect (302), which Boundaries does not follow" in page
    teacher = Client()
    start = teacher.post("/sign-in/organisation/", {"email": "teacher@rivington.example"})
    assert start.status_code == 200 and "could not be reached" in start.text
    assert not [path for path in provider.paths if path.startswith("/elsewhere")]


def test_a_redirect_from_the_signing_keys_is_not_followed(
    cast: Cast, client: Client, provider: Provider
) -> None:
    provider.jwks_redirect = "/keys-elsewhere"
    users, events = User.objects.count(), AuditEvent.objects.count()
    response = _sign_in(client, provider, "teacher@rivington.example")
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert "Boundaries does not reach" in response.text  # type: ignore[attr-defined]
    assert "/keys-elsewhere" not in provider.paths and "_auth_user_id" not in client.session
    assert (User.objects.count(), AuditEvent.objects.count()) == (users, events)


@pytest.mark.parametrize("field", ["jwks_uri", "token_endpoint"])
def test_addresses_the_discovery_document_names_are_checked_too(
    cast: Cast, client: Client, provider: Provider, field: str
) -> None:
    provider.discovery_overrides = {field: "https://169.254.169.254/latest/meta-data/"}
    response = _sign_in(client, provider, "teacher@rivington.example")
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert "Boundaries does not reach" in response.text  # type: ignore[attr-defined]
    assert "_auth_user_id" not in client.session
    assert provider.token_requests == (1 if field == "jwks_uri" else 0)
    assert not [path for path in provider.paths if "meta-data" in path]


def test_the_token_endpoint_is_not_redirected_to_an_internal_address(
    cast: Cast, client: Client, provider: Provider, caplog: Any
) -> None:
    provider.token_redirect_padding = 16
    provider.token_redirect_to = "https://169.254.169.254/latest/meta-data/"
    with caplog.at_level(logging.WARNING, logger="boundaries.security.oidc"):
        response = _sign_in(client, provider, "teacher@rivington.example")
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert "Boundaries does not reach" in response.text  # type: ignore[attr-defined]
    assert "_auth_user_id" not in client.session and provider.token_requests == 0
    assert "its token endpoint address is not fetched" in caplog.text
