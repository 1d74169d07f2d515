"""Changing one's own password (ASVS 5.0 V6.2.2, V6.2.3): the current password and the new
one, our password rules, an audit event, and every other session signed out (V7.4.3)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from boundaries.core.models import AuditEvent, User
from boundaries.security.models import FailureCounter, LiveSession
from tests.cast import PASSWORD, Cast

PAGE = "/account/password/"
NEW = "a long new passphrase of my own"


def _signed_in(username: str, user_agent: str = "") -> Client:
    client = Client(HTTP_USER_AGENT=user_agent)
    response = client.post("/sign-in/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _change(client: Client, current: str, new: str, again: str | None = None) -> Any:
    data = {"old_password": current, "new_password1": new, "new_password2": again or new}
    return client.post(PAGE, data)


def _password_is(user: User, password: str) -> bool:
    user.refresh_from_db()
    return user.check_password(password)


def test_a_teacher_changes_their_password_and_is_signed_out_everywhere_else(cast: Cast) -> None:
    laptop, phone = _signed_in("teacher"), _signed_in("teacher")
    response = _change(laptop, PASSWORD, NEW)
    assert response.status_code == 302 and response["Location"] == "/account/two-factor/"
    assert "You are signed out everywhere else" in laptop.get(response["Location"]).text
    assert laptop.get("/o/rivington/").status_code == 200
    assert phone.get("/o/rivington/").status_code == 302
    assert not Session.objects.filter(session_key=phone.session.session_key).exists()
    [left] = LiveSession.objects.filter(user=cast.teacher)
    assert left.session_key == laptop.session.session_key  # the new key, still recorded
    assert _password_is(cast.teacher, NEW)
    event = AuditEvent.objects.get(action="security.password_changed")
    assert (event.actor, event.object_id, event.after) == (
        cast.teacher,
        str(cast.teacher.pk),
        {"other_sessions_ended": 1},
    )
    assert NEW not in str(event.after) and PASSWORD not in str(event.after)
    assert Client().login(username="teacher", password=NEW)
    assert not Client().login(username="teacher", password=PASSWORD)


def test_the_session_key_changes_with_the_password(cast: Cast) -> None:
    laptop = _signed_in("teacher")
    before = laptop.session.session_key
    _change(laptop, PASSWORD, NEW)
    assert laptop.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()


def test_a_wrong_current_password_changes_nothing_and_counts_towards_the_lockout(
    cast: Cast,
) -> None:
    client = _signed_in("teacher")
    response = _change(client, "not my password at all", NEW)
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert 'href="#id_old_password">Your current password is not right' in response.text
    assert _password_is(cast.teacher, PASSWORD)
    assert FailureCounter.objects.get(scope="account").failures == 1
    for _ in range(4):
        _change(client, "not my password at all", NEW)
    locked = _change(client, PASSWORD, NEW)
    assert locked.status_code == 302 and locked["Location"] == "/sign-in/"
    assert client.get("/").status_code == 302
    assert _password_is(cast.teacher, PASSWORD)
    assert not AuditEvent.objects.filter(action="security.password_changed").exists()


@pytest.mark.parametrize(
    ("new", "again", "message"),
    [
        ("short one", None, "This password is too short"),
        ("password1234", None, "This password is too common"),
        ("rivington school 2026", None, "must not contain the name of this service, your school"),
        (NEW, NEW + "!", "The new passwords do not match"),
        ("", None, "Enter a new password"),
    ],
)
def test_the_new_password_follows_the_password_rules(
    cast: Cast, new: str, again: str | None, message: str
) -> None:
    client = _signed_in("teacher")
    response = _change(client, PASSWORD, new, again)
    assert response.status_code == 200
    assert message.lower() in response.text.lower()
    assert _password_is(cast.teacher, PASSWORD)


def test_the_page_asks_for_the_current_password_and_suits_password_managers(
    cast: Cast,
) -> None:
    page = _signed_in("teacher").get(PAGE).text
    assert '<label class="govuk-label" for="id_old_password">Current password</label>' in page
    assert 'autocomplete="current-password"' in page
    assert page.count('autocomplete="new-password"') == 2
    assert page.count('type="password"') == 3
    assert 'aria-describedby="id_new_password1-hint"' in page


def test_someone_who_signs_in_only_with_their_organisation_is_told_so(
    cast: Cast, client: Client
) -> None:
    cast.teacher.set_unusable_password()
    cast.teacher.save()
    client.force_login(cast.teacher)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "You do not have a password for Boundaries" in page.text
    assert "<form" not in page.text.split('id="main-content"')[1]
    client.post(PAGE, {"old_password": "", "new_password1": NEW, "new_password2": NEW})
    cast.teacher.refresh_from_db()
    assert not cast.teacher.has_usable_password()


def test_the_sign_in_page_and_home_link_to_it(cast: Cast) -> None:
    client = _signed_in("teacher")
    assert f'href="{PAGE}"' in client.get("/account/two-factor/").text
    assert f'href="{PAGE}"' in client.get("/").text
