"""Confirming who you are gives the session a new key; signing out clears the browser's copy
of the site; flash messages ride in the session, never in a cookie of their own."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.utils import timezone

from boundaries.security import sessions
from boundaries.security.models import LiveSession
from tests.cast import PASSWORD, Cast
from tests.security.signin import enrol_totp, fresh_code, sign_in_verified

EXPORT = "/o/rivington/concerns/export.csv"


def _go_stale(client: Client) -> None:
    session = client.session
    session[sessions.REAUTH_AT] = (timezone.now() - dt.timedelta(minutes=11)).timestamp()
    session.save()


def _with_session_key(key: str) -> Client:
    other = Client()
    other.cookies["sessionid"] = key
    return other


def test_confirming_who_you_are_gives_the_session_a_new_key(cast: Cast, client: Client) -> None:
    sign_in_verified(client, cast.head)
    _go_stale(client)
    old_key = client.session.session_key
    assert old_key is not None
    signed_in_at = LiveSession.objects.get(session_key=old_key).signed_in_at
    confirm = client.get(EXPORT)["Location"]
    assert confirm.startswith("/account/confirm/")

    back = client.post(confirm, {"password": PASSWORD})

    assert back.status_code == 302 and back["Location"] == EXPORT
    new_key = client.cookies["sessionid"].value
    assert new_key and new_key != old_key
    export = client.get(EXPORT)
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    assert client.get("/o/rivington/").status_code == 200
    record = LiveSession.objects.get(session_key=new_key)
    assert record.user == cast.head and record.signed_in_at == signed_in_at
    assert not LiveSession.objects.filter(session_key=old_key).exists()
    stolen = _with_session_key(old_key).get("/o/rivington/")
    assert stolen.status_code == 302 and stolen["Location"].startswith("/sign-in/")


def test_with_an_authenticator_the_key_changes_only_when_password_and_code_are_right(
    cast: Cast, client: Client
) -> None:
    enrol_totp(cast.dsl)
    sign_in_verified(client, cast.dsl)
    _go_stale(client)
    old_key = client.session.session_key
    confirm = client.get(EXPORT)["Location"]

    refused = client.post(confirm, {"password": PASSWORD, "code": "000000"})
    assert refused.status_code == 200
    assert client.session.session_key == old_key

    client.post(confirm, {"password": PASSWORD, "code": fresh_code(cast.dsl)})
    assert client.session.session_key != old_key
    assert client.get(EXPORT).status_code == 200


def test_signing_out_tells_the_browser_to_clear_what_it_kept(cast: Cast, client: Client) -> None:
    sign_in_verified(client, cast.teacher)
    key = client.session.session_key
    response = client.post("/sign-out/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert client.get("/o/rivington/").status_code == 302
    assert not LiveSession.objects.filter(session_key=key).exists()


def test_a_flash_message_sets_no_cookie_but_the_host_only_session_and_csrf_ones(
    cast: Cast, client: Client, settings: Any
) -> None:
    # Production's cookies (tests/security/test_production_settings.py checks the names).
    settings.SESSION_COOKIE_NAME = "__Host-sessionid"
    settings.CSRF_COOKIE_NAME = "__Host-csrftoken"
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    sign_in_verified(client, cast.head)
    page = client.get("/o/rivington/check/school-names/", secure=True)
    assert page.status_code == 200

    saved = client.post("/o/rivington/check/school-names/", {"aliases": "Rivvy\nRFPS"}, secure=True)

    assert saved.status_code == 302
    set_by_either = set(page.cookies) | set(saved.cookies)
    assert set_by_either <= {"__Host-sessionid", "__Host-csrftoken"}, set_by_either
    for response in (page, saved):
        for cookie in response.cookies.values():
            assert cookie["secure"] and cookie["path"] == "/" and not cookie["domain"]
    shown = client.get(saved["Location"], secure=True)
    assert "The school&#x27;s other names are saved" in shown.text
    assert "messages" not in shown.cookies and "messages" not in client.cookies
    again = client.get(saved["Location"], secure=True)
    assert "other names are saved" not in again.text
