"""Lockout without user enumeration, session lifetimes, server-side session ends, caching."""

from __future__ import annotations

import datetime as dt
import re
import statistics
import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from boundaries.core import actions as core_actions
from boundaries.core.models import AuditEvent, Membership
from boundaries.security import actions, sessions
from boundaries.security.models import FailureCounter, LiveSession
from tests.cast import PASSWORD, Cast
from tests.security.signin import sign_in_verified

LOCKED = "Too many failed attempts to sign in"


def _sign_in(client: Client, username: str, password: str) -> str:
    response = client.post("/sign-in/", {"username": username, "password": password})
    return "" if response.status_code == 302 else response.text


def _without_token(page: str) -> str:
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
    return re.sub(r'nonce="[^"]+"', "", page)


def test_five_wrong_passwords_lock_the_account_even_with_the_right_one(
    cast: Cast, client: Client
) -> None:
    for _ in range(5):
        assert "Enter a correct username" in _sign_in(client, "head", "wrong password!")
    assert LOCKED in _sign_in(client, "head", PASSWORD)
    assert LOCKED in _sign_in(client, "head@rivington.example", PASSWORD)
    assert AuditEvent.objects.filter(action="security.sign_in_locked").exists()


def test_an_unknown_account_locks_and_reads_exactly_like_a_real_one(
    cast: Cast, client: Client
) -> None:
    pages = {}
    for name in ("head", "nobody-here"):
        answers = [_without_token(_sign_in(client, name, "wrong password!")) for _ in range(6)]
        pages[name] = [a.replace(f'value="{name}"', "") for a in answers]
    assert pages["head"] == pages["nobody-here"]
    assert LOCKED in pages["nobody-here"][-1]


@pytest.mark.real_hashing
def test_an_unknown_account_takes_about_as_long_as_a_wrong_password(
    cast: Cast, client: Client, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.SIGNIN_MAX_FAILURES = 1000
    settings.SIGNIN_MAX_FAILURES_PER_ADDRESS = 1000
    timings: dict[str, list[float]] = {"head": [], "nobody-here": []}
    for _ in range(5):
        for name in timings:
            start = time.perf_counter()
            _sign_in(client, name, "wrong password!")
            timings[name].append(time.perf_counter() - start)
    known, unknown = (statistics.median(timings[n]) for n in ("head", "nobody-here"))
    assert 0.5 < known / unknown < 2, timings


def test_many_names_from_one_address_lock_the_address(cast: Cast, client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SIGNIN_MAX_FAILURES_PER_ADDRESS = 3
    for name in ("a", "b", "c"):
        _sign_in(client, name, "wrong password!")
    assert LOCKED in _sign_in(client, "teacher", PASSWORD)
    other = Client(REMOTE_ADDR="192.0.2.9")
    assert _sign_in(other, "teacher", PASSWORD) == ""


def test_a_lock_ends_after_its_window_and_success_clears_the_count(
    cast: Cast, client: Client
) -> None:
    for _ in range(5):
        _sign_in(client, "teacher", "wrong password!")
    assert LOCKED in _sign_in(client, "teacher", PASSWORD)
    FailureCounter.objects.update(locked_until=timezone.now() - dt.timedelta(seconds=1))
    assert _sign_in(client, "teacher", PASSWORD) == ""
    assert not FailureCounter.objects.filter(scope="account").exists()


def test_counters_hold_no_typed_names_or_addresses(cast: Cast, client: Client) -> None:
    _sign_in(client, "my secret password", "x")
    for key in FailureCounter.objects.values_list("key", flat=True):
        assert re.fullmatch(r"[0-9a-f]{64}", key)


def test_a_session_ends_ten_hours_after_sign_in_however_active(cast: Cast, client: Client) -> None:
    assert client.login(username="teacher", password=PASSWORD)
    assert client.get("/").status_code == 200
    session = client.session
    session[sessions.SIGNED_IN_AT] = (
        timezone.now() - dt.timedelta(hours=10, minutes=1)
    ).timestamp()
    session.save()
    response = client.get("/o/rivington/")
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
    assert not Session.objects.filter(session_key=session.session_key).exists()
    assert client.get("/").status_code == 302


def test_sessions_end_when_the_account_is_disabled(cast: Cast) -> None:
    phone, laptop = Client(), Client()
    for client in (phone, laptop):
        assert client.login(username="teacher", password=PASSWORD)
    assert LiveSession.objects.filter(user=cast.teacher).count() == 2
    actions.disable_account(cast.teacher, actor=cast.head)
    assert not LiveSession.objects.filter(user=cast.teacher).exists()
    for client in (phone, laptop):
        assert not Session.objects.filter(session_key=client.session.session_key).exists()
        assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(action="security.account_disabled").exists()


def test_sessions_end_when_a_role_is_removed(cast: Cast, client: Client) -> None:
    assert client.login(username="dsl", password=PASSWORD)
    key = client.session.session_key
    membership = Membership.objects.get(user=cast.dsl)
    core_actions.revoke_role(membership, actor=cast.head)
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get("/o/rivington/").status_code == 302


def test_signing_out_forgets_the_live_session(cast: Cast, client: Client) -> None:
    assert client.login(username="teacher", password=PASSWORD)
    client.post("/sign-out/")
    assert not LiveSession.objects.exists()


@pytest.mark.parametrize(
    "path", ["/", "/o/rivington/", "/api/v1/organisations", "/account/two-factor/"]
)
def test_signed_in_pages_and_api_answers_are_never_cached(
    cast: Cast, client: Client, path: str
) -> None:
    sign_in_verified(client, cast.head)
    response = client.get(path)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_the_sign_in_page_is_not_cached_either(client: Client) -> None:
    assert "no-store" in client.get("/sign-in/")["Cache-Control"]


def test_an_oversize_request_is_refused_before_it_is_read(
    cast: Cast, client: Client, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.REQUEST_MAX_BYTES = 1024
    sign_in_verified(client, cast.head)
    response = client.post(
        "/o/rivington/policies/import/", data=b"x" * 2048, content_type="text/plain"
    )
    assert response.status_code == 413
    assert "too large" in response.text


def test_the_health_check_answers_without_signing_in(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200 and response.text == "ok"


def test_old_counters_are_cleared_when_new_failures_come(cast: Cast, client: Client) -> None:
    FailureCounter.objects.create(
        scope="account",
        key="0" * 64,
        failures=3,
        window_started_at=timezone.now() - dt.timedelta(days=2),
    )
    _sign_in(client, "teacher", "wrong password!")
    assert not FailureCounter.objects.filter(key="0" * 64).exists()


def test_an_active_session_is_renewed_at_most_once_a_minute(cast: Cast, client: Client) -> None:
    assert client.login(username="teacher", password=PASSWORD)
    client.get("/")
    key = client.session.session_key
    expiry = Session.objects.get(session_key=key).expire_date
    client.get("/")
    assert Session.objects.get(session_key=key).expire_date == expiry
    session = client.session
    session[sessions.RENEWED_AT] = (timezone.now() - dt.timedelta(seconds=61)).timestamp()
    session.save()
    saved = Session.objects.get(session_key=key).expire_date
    client.get("/")
    assert Session.objects.get(session_key=key).expire_date > saved


def test_an_idle_session_ends_after_thirty_minutes(cast: Cast, client: Client) -> None:
    assert client.login(username="teacher", password=PASSWORD)
    client.get("/")
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("/").status_code == 302
