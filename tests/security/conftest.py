"""Fixtures shared by the security tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from boundaries.security.models import SignInProvider
from tests.cast import Cast
from tests.security.oidc_provider import Provider, running_provider


@pytest.fixture
def provider(cast: Cast) -> Iterator[Provider]:
    """The school's Entra ID tenant: a real OpenID provider on loopback, saved as a row."""
    with running_provider() as running:
        save_provider(running, cast)
        yield running


def save_provider(running: Provider, cast: Cast) -> SignInProvider:
    """Rivington's sign-in service row for a provider that is running."""
    row = SignInProvider(
        organisation=cast.school,
        kind=SignInProvider.Kind.ENTRA,
        issuer=running.issuer,
        client_id=running.client_id,
        email_domains=["rivington.example"],
    )
    row.client_secret = running.client_secret
    row.save()
    return row
