"""Writes to a person's second factor and account state, each with its audit event."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from boundaries.core import audit
from boundaries.core.models import User
from boundaries.security import totp
from boundaries.security.models import RecoveryCode, TotpDevice


class SecondFactorError(Exception):
    """A change to a second factor that is not allowed; the message says why."""


def start_enrolment(user: User, *, now: dt.datetime | None = None) -> TotpDevice:
    """A fresh, unconfirmed authenticator secret. Refused while one is confirmed: changing
    it goes through removal, which needs a recent re-authentication."""
    now = now or timezone.now()
    with transaction.atomic():
        device = TotpDevice.objects.select_for_update().filter(user=user).first()
        if device is not None and device.is_confirmed:
            raise SecondFactorError("An authenticator app is already set up")
        if device is None:
            device = TotpDevice.objects.create(user=user, secret=totp.new_secret(), created_at=now)
    return device


def confirm_enrolment(user: User, code: str, *, now: dt.datetime | None = None) -> list[str]:
    """Confirm the app with a code from it; answers the new recovery codes (shown once)."""
    now = now or timezone.now()
    with transaction.atomic():
        device = TotpDevice.objects.select_for_update().filter(user=user).first()
        if device is None or device.is_confirmed:
            raise SecondFactorError("Start setting up an authenticator app first")
        if not totp.accept_code(device, code, now):
            raise SecondFactorError("Enter the 6-digit code your authenticator app shows now")
        device.refresh_from_db()
        device.confirmed_at = now
        device.save(update_fields=["confirmed_at"])
        codes = _replace_recovery_codes(user, now)
        audit.record("security.second_factor_enrolled", actor=user, obj=user, now=now)
    return codes


def _replace_recovery_codes(user: User, now: dt.datetime) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = totp.new_recovery_codes()
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=totp.recovery_hash(c), created_at=now) for c in codes
    )
    return codes


def regenerate_recovery_codes(user: User, *, now: dt.datetime | None = None) -> list[str]:
    now = now or timezone.now()
    with transaction.atomic():
        if totp.confirmed_device(user) is None:
            raise SecondFactorError("Set up an authenticator app first")
        codes = _replace_recovery_codes(user, now)
        audit.record("security.recovery_codes_replaced", actor=user, obj=user, now=now)
    return codes


def remove_second_factor(user: User, *, actor: User, now: dt.datetime | None = None) -> None:
    """Turn the second factor off; refused for roles that must have one."""
    now = now or timezone.now()
    if totp.required_for(user):
        raise SecondFactorError(
            "Your role needs a second factor, so it cannot be turned off. "
            "You can set up a new authenticator app instead."
        )
    with transaction.atomic():
        TotpDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        audit.record("security.second_factor_removed", actor=actor, obj=user, now=now)


def reset_authenticator(user: User, *, now: dt.datetime | None = None) -> TotpDevice:
    """Start again with a new app (a lost or new phone). Roles that need a second factor
    are sent straight to setting up the new one, and at every sign-in until they do."""
    now = now or timezone.now()
    with transaction.atomic():
        TotpDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        device = TotpDevice.objects.create(user=user, secret=totp.new_secret(), created_at=now)
        audit.record("security.second_factor_reset", actor=user, obj=user, now=now)
    return device


def disable_account(user: User, *, actor: User | None, now: dt.datetime | None = None) -> None:
    """Stop a person signing in; their sessions end on the server at once."""
    now = now or timezone.now()
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit.record("security.account_disabled", actor=actor, obj=user, now=now)


def record_provider_sign_in(
    user: User, *, provider_id: int, now: dt.datetime | None = None
) -> None:
    """A sign-in through an organisation's identity provider, so it can be traced."""
    with transaction.atomic():
        audit.record(
            "security.signed_in_with_provider",
            actor=user,
            obj=user,
            after={"provider": provider_id},
            now=now,
        )
