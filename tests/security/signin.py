"""Signing the test cast in, second factor included.

- `sign_in_verified(client, user)`: for tests that are not about signing in; the session
  counts as having passed the second factor and a recent re-authentication.
- `enrol_totp(user)`: set up an authenticator for a person; answers its secret.
- `sign_in_with_code(client, user)`: the real pages: password, then a valid code.
"""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from boundaries.core.models import User
from boundaries.security import actions, sessions, totp
from boundaries.security.models import TotpDevice
from tests.cast import PASSWORD


def _stamp(client: Client, *keys: str) -> None:
    session = client.session
    for key in keys:
        session[key] = timezone.now().timestamp()
    session.save()


def sign_in_verified(client: Client, user: User) -> None:
    client.force_login(user)
    _stamp(client, sessions.SECOND_FACTOR_AT, sessions.REAUTH_AT)


def enrol_totp(user: User) -> str:
    device = actions.start_enrolment(user)
    # Confirmed as if a minute ago, leaving the previous and current steps (the two a code
    # is accepted from) for two sign-ins.
    earlier = timezone.now() - dt.timedelta(seconds=2 * totp.STEP_SECONDS)
    actions.confirm_enrolment(user, totp.code_at(device.secret, earlier), now=earlier)
    return device.secret


def fresh_code(user: User, now: dt.datetime | None = None) -> str:
    """A code the server will accept now: the next unused step within the drift window."""
    now = now or timezone.now()
    device = TotpDevice.objects.get(user=user)
    current = int(now.timestamp()) // totp.STEP_SECONDS
    step = max(current + min(totp.ACCEPTED_STEPS), device.last_step + 1)
    assert step <= current + max(totp.ACCEPTED_STEPS), "no unused code left in this window"
    return totp.code_at(device.secret, dt.datetime.fromtimestamp(step * totp.STEP_SECONDS, dt.UTC))


def sign_in_with_code(client: Client, user: User, password: str = PASSWORD) -> None:
    response = client.post("/sign-in/", {"username": user.username, "password": password})
    assert response.status_code == 302, response.text
    assert response["Location"].startswith("/sign-in/code/"), response["Location"]
    done = client.post("/sign-in/code/", {"code": fresh_code(user)})
    assert done.status_code == 302, done.text
