"""Someone who has lost both their authenticator app and their recovery codes (ASVS 5.0
V6.4.4): their headteacher or the authority admin checks who they are, records how, and
clears the lost factor; every session of theirs ends, and at their next sign-in they set up
a new app before anything else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from boundaries.core.models import AuditEvent, User
from boundaries.security import sessions, totp
from boundaries.security.models import RecoveryCode, TotpDevice
from tests.cast import PASSWORD, Cast
from tests.security.signin import enrol_totp, sign_in_verified, sign_in_with_code

pytestmark = pytest.mark.mfa_required

CHECK = "Seen in person in the school office with staff ID card"


def _page(person: User) -> str:
    return f"/o/rivington/signed-in/{person.pk}/second-factor/"


def _as(user: User) -> Client:
    client = Client()
    sign_in_verified(client, user)
    return client


def test_the_head_clears_a_lost_factor_recording_how_they_checked_who_it_is(
    cast: Cast,
) -> None:
    old_secret = enrol_totp(cast.teacher)
    phone = Client()
    sign_in_with_code(phone, cast.teacher)
    head = _as(cast.head)
    page = head.get(_page(cast.teacher))
    assert page.status_code == 200 and "How did you check who they are?" in page.text
    done = head.post(_page(cast.teacher), {"identity_check": CHECK})
    assert done.status_code == 302 and done["Location"] == "/o/rivington/signed-in/"
    event = AuditEvent.objects.get(action="security.lost_second_factor_cleared")
    assert (event.actor, event.organisation, event.object_id) == (
        cast.head,
        cast.school,
        str(cast.teacher.pk),
    )
    assert event.after == {"identity_check": CHECK, "sessions_ended": 1}
    assert phone.get("/o/rivington/").status_code == 302
    assert not RecoveryCode.objects.filter(user=cast.teacher).exists()
    device = TotpDevice.objects.get(user=cast.teacher)
    assert device.must_set_up and not device.is_confirmed and device.secret != old_secret


def test_without_saying_how_identity_was_checked_nothing_is_cleared(cast: Cast) -> None:
    enrol_totp(cast.teacher)
    head = _as(cast.head)
    for typed in ("", "   ", "ok"):
        page = head.post(_page(cast.teacher), {"identity_check": typed})
        assert page.status_code == 200 and "Say how you checked who they are" in page.text
    assert TotpDevice.objects.get(user=cast.teacher).is_confirmed
    assert not AuditEvent.objects.filter(action="security.lost_second_factor_cleared").exists()


def test_at_the_next_sign_in_they_set_up_a_new_app_before_anything_else(cast: Cast) -> None:
    old_secret = enrol_totp(cast.teacher)
    _as(cast.head).post(_page(cast.teacher), {"identity_check": CHECK})
    client = Client()
    signed = client.post("/sign-in/", {"username": "teacher", "password": PASSWORD})
    assert signed["Location"].startswith("/account/two-factor/set-up/")
    for elsewhere in ("/o/rivington/", "/account/two-factor/", "/account/sessions/"):
        held = client.get(elsewhere)
        assert held.status_code == 302 and "/account/two-factor/set-up/" in held["Location"]
    assert client.get("/api/v1/organisations").status_code == 401
    page = client.get("/account/two-factor/set-up/")
    assert "Your lost authenticator app was cleared" in page.text
    old_code = totp.code_at(old_secret, timezone.now())
    assert "Enter the 6-digit code" in client.post(_set_up(), {"code": old_code}).text
    new_secret = TotpDevice.objects.get(user=cast.teacher).secret
    done = client.post(_set_up(), {"code": totp.code_at(new_secret, timezone.now())})
    assert done.status_code == 200 and "recovery" in done.text.lower()
    assert client.get("/o/rivington/").status_code == 200
    assert not TotpDevice.objects.get(user=cast.teacher).must_set_up


def _set_up() -> str:
    return "/account/two-factor/set-up/"


def test_the_authority_admin_may_do_it_for_a_school_and_nobody_else_may(cast: Cast) -> None:
    enrol_totp(cast.dsl)
    for who in (cast.teacher, cast.dsl, cast.governor):
        assert _as(who).post(_page(cast.dsl), {"identity_check": CHECK}).status_code in (403, 404)
    other = _as(cast.other_head)
    assert other.post(_page(cast.dsl), {"identity_check": CHECK}).status_code in (403, 404)
    assert TotpDevice.objects.get(user=cast.dsl).is_confirmed
    admin = _as(cast.admin)
    assert admin.post(_page(cast.dsl), {"identity_check": CHECK}).status_code == 302
    assert not TotpDevice.objects.get(user=cast.dsl).is_confirmed


def test_a_head_cannot_clear_their_own(cast: Cast) -> None:
    enrol_totp(cast.head)
    head = _as(cast.head)
    assert head.post(_page(cast.head), {"identity_check": CHECK}).status_code == 404
    assert TotpDevice.objects.get(user=cast.head).is_confirmed


def test_clearing_needs_a_recent_sign_in(cast: Cast) -> None:
    enrol_totp(cast.teacher)
    head = Client()
    head.force_login(cast.head)
    session = head.session
    session[sessions.SECOND_FACTOR_AT] = timezone.now().timestamp()
    session[sessions.REAUTH_AT] = (timezone.now() - dt.timedelta(hours=1)).timestamp()
    session.save()
    response = head.post(_page(cast.teacher), {"identity_check": CHECK})
    assert response.status_code == 302 and "/account/confirm/" in response["Location"]
    assert TotpDevice.objects.get(user=cast.teacher).is_confirmed
