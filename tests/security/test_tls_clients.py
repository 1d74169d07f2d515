"""Our TLS clients check the server's certificate (ASVS 5.0 V12.3.2): a sign-in service
served over HTTPS with a certificate we do not trust is refused at discovery, at its
signing keys and at its token endpoint, and the SMTP relay is refused at STARTTLS; the
same servers with a certificate from a CA we are told to trust are used. Real servers on
loopback, with certificates made here; trust is given the way the libraries read it (the
REQUESTS_CA_BUNDLE and SSL_CERT_FILE environment variables), so nothing in the code turns
checking off or on."""

from __future__ import annotations

import logging
import ssl
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.test import Client

from tests.cast import Cast
from tests.scaleout.certificates import Authority
from tests.security.conftest import save_provider
from tests.security.oidc_provider import Provider, running_provider, serving
from tests.security.test_provider_sign_in import _NoRedirect


@dataclass(frozen=True)
class Certificates:
    ca: Path  # the CA a test may tell the client to trust
    trusted: ssl.SSLContext  # a server context with a certificate from that CA
    untrusted: ssl.SSLContext  # a server context with a certificate from another CA


def _server_context(certificate: Path, key: Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate, key)
    return context


@pytest.fixture
def certificates(tmp_path: Path) -> Certificates:
    ours, strangers = Authority.create("Boundaries test CA"), Authority.create("Another CA")
    return Certificates(
        ca=ours.write(tmp_path / "ca.pem"),
        trusted=_server_context(*ours.issue(tmp_path, "server", "127.0.0.1")),
        untrusted=_server_context(*strangers.issue(tmp_path, "stranger", "127.0.0.1")),
    )


def _sign_in(client: Client, provider: Provider, ca: Path, email: str) -> object:
    """`test_provider_sign_in._sign_in` with a browser that trusts the test CA too."""
    provider.next_claims = {"email": email, "email_verified": True}
    start = client.post("/sign-in/organisation/", {"email": email})
    assert start.status_code == 302, start.text
    browser = urllib.request.build_opener(
        _NoRedirect, urllib.request.HTTPSHandler(context=ssl.create_default_context(cafile=ca))
    )
    with pytest.raises(urllib.error.HTTPError) as redirect:
        browser.open(start["Location"], timeout=10)
    redirect.value.close()
    back = urlparse(redirect.value.headers["Location"])
    return client.get(f"{back.path}?{back.query}")


@pytest.fixture
def https_provider(
    cast: Cast, certificates: Certificates, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Provider]:
    """The school's provider over HTTPS with a certificate from the test CA, which the
    client is told to trust; the same provider is also served with a stranger's
    certificate, for a test to point one of its addresses there."""
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(certificates.ca))
    with running_provider(certificates.trusted) as provider:
        save_provider(provider, cast)
        yield provider


def test_a_provider_with_a_trusted_certificate_signs_people_in_over_https(
    cast: Cast, client: Client, https_provider: Provider, certificates: Certificates
) -> None:
    assert https_provider.issuer.startswith("https://127.0.0.1:")
    response = _sign_in(client, https_provider, certificates.ca, "teacher@rivington.example")
    assert response.status_code == 302, response.text  # type: ignore[attr-defined]
    assert int(client.session["_auth_user_id"]) == cast.teacher.pk


def test_discovery_from_a_provider_whose_certificate_is_not_trusted_is_refused(
    cast: Cast, client: Client, certificates: Certificates, caplog: pytest.LogCaptureFixture
) -> None:
    with running_provider(certificates.untrusted) as provider:
        save_provider(provider, cast)
        with caplog.at_level(logging.WARNING, logger="boundaries.security.views"):
            response = client.post("/sign-in/organisation/", {"email": "teacher@rivington.example"})
    assert response.status_code == 200
    assert "sign-in service could not be reached" in response.text
    assert provider.paths == []  # not one request was sent over the connection
    assert any("CERTIFICATE_VERIFY_FAILED" in m for m in caplog.messages)


@pytest.mark.parametrize(
    ("field", "path", "words"),
    [
        ("jwks_uri", "/jwks", "could not be reached"),
        ("token_endpoint", "/token", "did not confirm who you are"),
    ],
    ids=["signing-keys", "token-endpoint"],
)
def test_keys_or_a_token_endpoint_behind_an_untrusted_certificate_are_refused(
    cast: Cast,
    client: Client,
    https_provider: Provider,
    certificates: Certificates,
    field: str,
    path: str,
    words: str,
) -> None:
    with serving(https_provider, certificates.untrusted) as stranger:
        https_provider.discovery_overrides[field] = stranger + path
        response = _sign_in(client, https_provider, certificates.ca, "teacher@rivington.example")
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert words in response.text  # type: ignore[attr-defined]
    assert "_auth_user_id" not in client.session
    assert path not in https_provider.paths  # the stranger got no request


class _Kept:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.messages.append(envelope.content)  # type: ignore[attr-defined]
        return "250 OK"


@pytest.fixture
def smtp_relay(certificates: Certificates) -> Iterator[tuple[int, _Kept, Certificates]]:
    """An SMTP relay on loopback that offers STARTTLS with the test CA's certificate."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    kept = _Kept()
    relay = Controller(kept, hostname="127.0.0.1", port=port, tls_context=certificates.trusted)
    relay.start()
    try:
        yield port, kept, certificates
    finally:
        relay.stop()


def _send(settings: object, port: int) -> None:
    settings.MAILERS = {  # type: ignore[attr-defined]
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": True, "timeout": 5},
        }
    }
    mail.send_mail("Reminder", "Please read the policy.", None, ["teacher@rivington.example"])


def test_the_smtp_relay_is_refused_at_starttls_when_its_certificate_is_not_trusted(
    settings: object, smtp_relay: tuple[int, _Kept, Certificates]
) -> None:
    port, kept, _ = smtp_relay
    with pytest.raises(ssl.SSLCertVerificationError):
        _send(settings, port)
    assert kept.messages == []


def test_the_smtp_relay_is_used_over_starttls_when_its_certificate_is_trusted(
    settings: object,
    smtp_relay: tuple[int, _Kept, Certificates],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    port, kept, certificates = smtp_relay
    monkeypatch.setenv("SSL_CERT_FILE", str(certificates.ca))
    _send(settings, port)
    assert len(kept.messages) == 1 and b"Please read the policy." in kept.messages[0]
