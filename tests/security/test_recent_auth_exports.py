"""Bulk exports of safeguarding records need a sign-in within the last REAUTH_MINUTES."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from boundaries.security import sessions
from tests.cast import PASSWORD, Cast
from tests.security.signin import enrol_totp, fresh_code, sign_in_verified

EXPORTS = [
    "/o/rivington/concerns/export.csv",
    "/o/rivington/pupil-contacts/export.csv",
    "/o/rivington/declarations/export.csv",
]


def _go_stale(client: Client) -> None:
    session = client.session
    session[sessions.REAUTH_AT] = (timezone.now() - dt.timedelta(minutes=11)).timestamp()
    session.save()


@pytest.mark.parametrize("path", EXPORTS)
def test_an_export_after_a_long_session_asks_for_the_password_again(
    cast: Cast, client: Client, path: str
) -> None:
    sign_in_verified(client, cast.head)
    assert client.get(path).status_code == 200
    _go_stale(client)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/account/confirm/")
    back = client.post(response["Location"], {"password": PASSWORD})
    assert back["Location"] == path
    export = client.get(path)
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")


def test_with_an_authenticator_the_code_is_asked_for_too(cast: Cast, client: Client) -> None:
    enrol_totp(cast.dsl)
    sign_in_verified(client, cast.dsl)
    _go_stale(client)
    confirm = client.get(EXPORTS[0])["Location"]
    refused = client.post(confirm, {"password": PASSWORD})
    assert refused.status_code == 200 and "Enter the code" in refused.text
    good = client.post(confirm, {"password": PASSWORD, "code": fresh_code(cast.dsl)})
    assert good["Location"] == EXPORTS[0]
