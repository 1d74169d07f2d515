"""The second factor: compulsory for roles with access to personal data, available to all."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from boundaries.core.models import AuditEvent
from boundaries.security import sessions, totp
from boundaries.security.models import RecoveryCode, TotpDevice
from tests.cast import PASSWORD, Cast
from tests.security.signin import enrol_totp, fresh_code, sign_in_verified, sign_in_with_code

pytestmark = pytest.mark.mfa_required


def _password(client: Client, username: str, password: str = PASSWORD) -> str:
    response = client.post("/sign-in/", {"username": username, "password": password})
    assert response.status_code == 302, response.text
    return str(response["Location"])


@pytest.mark.parametrize("who", ["head", "dsl", "hr", "admin"])
def test_roles_with_personal_data_must_set_up_an_app_before_anything_else(
    cast: Cast, client: Client, who: str
) -> None:
    assert _password(client, who).startswith("/account/two-factor/set-up/")
    response = client.get("/o/rivington/")
    assert response.status_code == 302 and "/account/two-factor/set-up/" in response["Location"]
    api = client.get("/api/v1/organisations")
    assert api.status_code == 401


def test_setting_up_an_app_shows_ten_recovery_codes_once_and_opens_the_pages(
    cast: Cast, client: Client
) -> None:
    _password(client, "head")
    page = client.get("/account/two-factor/set-up/")
    assert page.status_code == 200
    secret = TotpDevice.objects.get(user=cast.head).secret
    assert totp.grouped(secret) in page.text
    wrong = client.post("/account/two-factor/set-up/", {"code": "000000"})
    assert "Enter the 6-digit code" in wrong.text
    done = client.post(
        "/account/two-factor/set-up/", {"code": totp.code_at(secret, timezone.now())}
    )
    codes = re.findall(r"<code>([a-z0-9-]+)</code>", done.text)
    assert len(codes) == 10 == RecoveryCode.objects.filter(user=cast.head).count()
    assert not RecoveryCode.objects.filter(code_hash__in=codes).exists()
    assert client.get("/o/rivington/").status_code == 200
    assert AuditEvent.objects.filter(
        action="security.second_factor_enrolled", actor=cast.head
    ).exists()


def test_a_person_with_an_app_enters_a_code_after_the_password(cast: Cast, client: Client) -> None:
    enrol_totp(cast.teacher)
    assert _password(client, "teacher").startswith("/sign-in/code/")
    assert client.get("/o/rivington/").status_code == 302
    bad = client.post("/sign-in/code/", {"code": "123456"})
    assert "not right" in bad.text
    good = client.post("/sign-in/code/?next=/o/rivington/", {"code": fresh_code(cast.teacher)})
    assert good["Location"] == "/o/rivington/"
    assert client.get("/o/rivington/").status_code == 200


def test_the_session_key_changes_when_the_second_factor_is_passed(
    cast: Cast, client: Client
) -> None:
    enrol_totp(cast.teacher)
    _password(client, "teacher")
    before = client.session.session_key
    client.post("/sign-in/code/", {"code": fresh_code(cast.teacher)})
    assert client.session.session_key != before


def test_a_code_cannot_be_used_twice(cast: Cast) -> None:
    enrol_totp(cast.teacher)
    code = fresh_code(cast.teacher)
    first, second = Client(), Client()
    _password(first, "teacher")
    _password(second, "teacher")
    assert first.post("/sign-in/code/", {"code": code}).status_code == 302
    assert second.post("/sign-in/code/", {"code": code}).status_code == 200


def test_a_recovery_code_works_once(cast: Cast, client: Client) -> None:
    from boundaries.security import actions

    enrol_totp(cast.teacher)
    codes = actions.regenerate_recovery_codes(cast.teacher)
    _password(client, "teacher")
    assert client.post("/sign-in/code/", {"code": codes[0].upper()}).status_code == 302
    client.post("/sign-out/")
    _password(client, "teacher")
    assert client.post("/sign-in/code/", {"code": codes[0]}).status_code == 200


def test_five_wrong_codes_sign_the_person_out(cast: Cast, client: Client) -> None:
    enrol_totp(cast.teacher)
    _password(client, "teacher")
    for _ in range(5):
        response = client.post("/sign-in/code/", {"code": "000000"})
    assert response.status_code == 302 and response["Location"] == "/sign-in/"
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(action="security.sign_in_locked").exists()


def test_staff_sign_in_with_a_password_alone_and_may_opt_in(cast: Cast, client: Client) -> None:
    assert _password(client, "teacher") == "/"
    assert client.get("/o/rivington/").status_code == 200
    assert "Not set up" in client.get("/account/two-factor/").text


def test_a_deployment_that_asks_it_of_everyone_sends_a_teacher_to_set_up_an_app(
    cast: Cast, client: Client, settings: Any
) -> None:
    settings.MFA_REQUIRED_FOR_EVERYONE = True
    for who in ("teacher", "governor"):
        assert _password(client, who).startswith("/account/two-factor/set-up/")
        response = client.get("/o/rivington/")
        assert response.status_code == 302
        assert "/account/two-factor/set-up/" in response["Location"]
        client.logout()
    enrol_totp(cast.teacher)
    sign_in_with_code(client, cast.teacher)
    assert "cannot be turned off" in client.get("/account/two-factor/").text
    client.post("/account/two-factor/turn-off/")
    assert TotpDevice.objects.filter(user=cast.teacher, confirmed_at__isnull=False).exists()


def test_the_second_factor_cannot_be_turned_off_for_a_headteacher(
    cast: Cast, client: Client
) -> None:
    enrol_totp(cast.head)
    sign_in_verified(client, cast.head)
    assert "cannot be turned off" in client.get("/account/two-factor/").text
    response = client.post("/account/two-factor/turn-off/")
    assert response.status_code == 302
    assert TotpDevice.objects.filter(user=cast.head, confirmed_at__isnull=False).exists()


def test_a_teacher_turns_it_off_only_after_confirming_who_they_are(
    cast: Cast, client: Client
) -> None:
    enrol_totp(cast.teacher)
    sign_in_with_code(client, cast.teacher)
    session = client.session
    session[sessions.REAUTH_AT] = (timezone.now() - dt.timedelta(minutes=11)).timestamp()
    session.save()
    response = client.post("/account/two-factor/turn-off/")
    assert response["Location"].startswith("/account/confirm/")
    wrong = client.post(response["Location"], {"password": "not it at all", "code": "000000"})
    assert "not right" in wrong.text
    right = client.post(
        response["Location"], {"password": PASSWORD, "code": fresh_code(cast.teacher)}
    )
    assert right["Location"] == "/account/two-factor/turn-off/"
    assert client.post("/account/two-factor/turn-off/").status_code == 302
    assert not TotpDevice.objects.filter(user=cast.teacher).exists()
    assert AuditEvent.objects.filter(action="security.second_factor_removed").exists()


def test_a_password_reset_does_not_skip_the_second_factor(
    cast: Cast,
    client: Client,
    smtp_server,  # type: ignore[no-untyped-def]
) -> None:
    enrol_totp(cast.head)
    client.post("/password-reset/", {"email": "head@rivington.example"})
    [message] = smtp_server.to("head@rivington.example")
    link = re.search(
        r"https?://[^/]+(/password-reset/[^\s]+/)", message.get_payload(decode=True).decode()
    )
    assert link
    page = client.get(link.group(1), follow=True)
    new = "a brand new long passphrase"
    client.post(page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert client.get("/o/rivington/").status_code == 302
    assert _password(client, "head", new).startswith("/sign-in/code/")
    assert client.get("/o/rivington/").status_code == 302


def test_new_recovery_codes_need_a_recent_confirmation(cast: Cast, client: Client) -> None:
    enrol_totp(cast.dsl)
    client.force_login(cast.dsl)
    session = client.session
    session[sessions.SECOND_FACTOR_AT] = timezone.now().timestamp()
    session.save()
    response = client.get("/account/two-factor/recovery-codes/")
    assert response["Location"].startswith("/account/confirm/")
    old = set(RecoveryCode.objects.filter(user=cast.dsl).values_list("code_hash", flat=True))
    sign_in_verified(client, cast.dsl)
    assert "Get new codes" in client.get("/account/two-factor/recovery-codes/").text
    page = client.post("/account/two-factor/recovery-codes/")
    assert len(re.findall(r"<code>", page.text)) == 10
    new = set(RecoveryCode.objects.filter(user=cast.dsl).values_list("code_hash", flat=True))
    assert not old & new
