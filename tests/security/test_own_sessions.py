"""A person's own sessions (ASVS 5.0 V7.5.2): where they are signed in, this one marked,
and signing out the others after a recent sign-in; changing or removing the authenticator
signs the others out too (V7.4.3)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from boundaries.core.models import AuditEvent, User
from boundaries.security import actions, browsers, sessions
from boundaries.security.models import LiveSession
from tests.cast import PASSWORD, Cast
from tests.security.signin import enrol_totp, sign_in_verified

FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1"
)


def _signed_in(username: str, user_agent: str = "") -> Client:
    client = Client(HTTP_USER_AGENT=user_agent)
    response = client.post("/sign-in/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _not_recent(client: Client) -> None:
    session = client.session
    session[sessions.REAUTH_AT] = (timezone.now() - dt.timedelta(minutes=11)).timestamp()
    session.save()


def test_a_person_sees_where_they_are_signed_in_with_this_session_marked(cast: Cast) -> None:
    laptop = _signed_in("teacher", FIREFOX_WINDOWS)
    _signed_in("teacher", SAFARI_IPHONE)
    _signed_in("head")
    page = laptop.get("/account/sessions/").text
    assert "Firefox on Windows" in page and "Safari on iOS" in page
    assert page.count("This session") == 1
    assert page.index("This session") < page.index("Safari on iOS")  # this one first
    assert page.count("/sign-out/") == 2  # the other session's link, and the header's form
    assert "Sign out everywhere else" in page
    assert LiveSession.objects.filter(user=cast.head).count() == 1  # not shown here
    assert "Sign out everywhere else" not in _signed_in("dsl").get("/account/sessions/").text


def test_signing_out_everywhere_else_needs_a_recent_sign_in_and_keeps_this_session(
    cast: Cast,
) -> None:
    laptop, phone, tablet = (_signed_in("teacher") for _ in range(3))
    _not_recent(laptop)
    asked = laptop.post("/account/sessions/sign-out-others/")
    assert asked["Location"].startswith("/account/confirm/")
    back = laptop.post(asked["Location"], {"password": PASSWORD})
    assert back["Location"] == "/account/sessions/sign-out-others/"
    assert "You will stay signed in here" in laptop.get(back["Location"]).text
    done = laptop.post("/account/sessions/sign-out-others/", follow=True)
    assert "Signed out of 2 sessions" in done.text
    assert laptop.get("/").status_code == 200
    assert phone.get("/").status_code == 302 and tablet.get("/").status_code == 302
    assert list(LiveSession.objects.filter(user=cast.teacher).values_list("session_key")) == [
        (laptop.session.session_key,)
    ]
    event = AuditEvent.objects.get(action="security.other_sessions_ended")
    assert (event.actor, event.after) == (cast.teacher, {"sessions_ended": 2})


def test_one_session_elsewhere_can_be_signed_out_but_not_this_one_or_anyone_elses(
    cast: Cast,
) -> None:
    laptop, phone = _signed_in("teacher"), _signed_in("teacher", SAFARI_IPHONE)
    head = _signed_in("head")
    phone_record = LiveSession.objects.get(session_key=phone.session.session_key)
    this_record = LiveSession.objects.get(session_key=laptop.session.session_key)
    heads_record = LiveSession.objects.get(user=cast.head)
    for record in (this_record, heads_record):
        assert laptop.post(f"/account/sessions/{record.pk}/sign-out/").status_code == 404
    assert "Safari on iOS" in laptop.get(f"/account/sessions/{phone_record.pk}/sign-out/").text
    assert laptop.post(f"/account/sessions/{phone_record.pk}/sign-out/").status_code == 302
    assert phone.get("/").status_code == 302
    assert laptop.get("/").status_code == 200 and head.get("/").status_code == 200
    event = AuditEvent.objects.get(action="security.session_ended")
    assert event.actor == cast.teacher and (event.after or {}).get("device") == "Safari on iOS"


def _reset(client: Client, user: User) -> None:
    client.post("/account/two-factor/new-app/")


def _turn_off(client: Client, user: User) -> None:
    client.post("/account/two-factor/turn-off/")


def _new_codes(client: Client, user: User) -> None:
    client.post("/account/two-factor/recovery-codes/")


@pytest.mark.parametrize(
    ("change", "event"),
    [
        (_reset, "security.second_factor_reset"),
        (_turn_off, "security.second_factor_removed"),
        (_new_codes, "security.recovery_codes_replaced"),
    ],
)
def test_changing_the_authenticator_signs_out_the_other_sessions(
    cast: Cast, change: Callable[[Client, User], None], event: str
) -> None:
    enrol_totp(cast.teacher)
    here, elsewhere = Client(), Client()
    for client in (here, elsewhere):
        sign_in_verified(client, cast.teacher)
    change(here, cast.teacher)
    assert elsewhere.get("/").status_code == 302
    assert here.get("/account/two-factor/").status_code == 200
    assert LiveSession.objects.filter(user=cast.teacher).count() == 1
    recorded = AuditEvent.objects.get(action=event)
    assert recorded.after == {"other_sessions_ended": 1}


def test_setting_up_an_authenticator_signs_out_the_other_sessions(cast: Cast) -> None:
    from boundaries.security import totp

    here, elsewhere = _signed_in("teacher"), _signed_in("teacher")
    here.get("/account/two-factor/set-up/")
    device = actions.start_enrolment(cast.teacher)
    done = here.post(
        "/account/two-factor/set-up/", {"code": totp.code_at(device.secret, timezone.now())}
    )
    assert done.status_code == 200 and "recovery codes" in done.text.lower()
    assert elsewhere.get("/").status_code == 302
    assert here.get("/").status_code == 200
    event = AuditEvent.objects.get(action="security.second_factor_enrolled")
    assert event.after == {"other_sessions_ended": 1}


@pytest.mark.parametrize(
    ("user_agent", "described"),
    [
        (FIREFOX_WINDOWS, "Firefox on Windows"),
        (SAFARI_IPHONE, "Safari on iOS"),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like "
            "Gecko) Chrome/138.0.0.0 Safari/537.36 Edg/138.0.0.0",
            "Edge on macOS",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/138.0.0.0 Mobile Safari/537.36",
            "Chrome on Android",
        ),
        (
            "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/138.0.0.0 Safari/537.36",
            "Chrome on ChromeOS",
        ),
        ("curl/8.14.1", ""),
        ("", ""),
    ],
)
def test_a_session_is_described_by_its_browser_and_system_only(
    user_agent: str, described: str
) -> None:
    assert browsers.describe(user_agent) == described
