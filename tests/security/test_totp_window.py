"""How long a code from an authenticator app is accepted (ASVS 5.0 V6.5.5): in its own
30-second step and the one after it, never before its step and never later."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from boundaries.security import actions, totp
from tests.cast import PASSWORD, Cast

# A fixed moment, 10 seconds into its 30-second step.
NOW = dt.datetime(2026, 3, 2, 9, 0, 10, tzinfo=dt.UTC)
STEP = dt.timedelta(seconds=totp.STEP_SECONDS)


@pytest.mark.parametrize(
    ("shown_at", "accepted"),
    [
        (NOW, True),  # the code on the screen now
        (NOW - dt.timedelta(seconds=10), True),  # shown at the start of this step
        (NOW - STEP, True),  # the one just gone: typed as it changed, or a slow phone
        (NOW - 2 * STEP, False),  # a minute old
        (NOW + STEP, False),  # not yet shown: a phone running fast, or a guess ahead
        (NOW + 2 * STEP, False),
    ],
)
def test_a_code_is_accepted_in_its_own_step_and_the_next_only(
    cast: Cast, shown_at: dt.datetime, accepted: bool
) -> None:
    device = actions.start_enrolment(cast.teacher, now=NOW)
    assert totp.accept_code(device, totp.code_at(device.secret, shown_at), NOW) is accepted


def test_a_code_lives_at_most_one_step_past_its_own(cast: Cast) -> None:
    device = actions.start_enrolment(cast.teacher, now=NOW)
    code = totp.code_at(device.secret, NOW)
    start_of_step = NOW - dt.timedelta(seconds=10)
    last_moment = start_of_step + 2 * STEP - dt.timedelta(microseconds=1)
    assert not totp.accept_code(device, code, start_of_step + 2 * STEP)
    assert totp.accept_code(device, code, last_moment)


def test_the_sign_in_page_refuses_the_code_of_the_next_step(cast: Cast, client: Client) -> None:
    device = actions.start_enrolment(cast.teacher)
    earlier = timezone.now() - 2 * STEP
    actions.confirm_enrolment(cast.teacher, totp.code_at(device.secret, earlier), now=earlier)
    client.post("/sign-in/", {"username": "teacher", "password": PASSWORD})
    next_code = totp.code_at(device.secret, timezone.now() + STEP)
    ahead = client.post("/sign-in/code/", {"code": next_code})
    assert ahead.status_code == 200 and "not right" in ahead.text
