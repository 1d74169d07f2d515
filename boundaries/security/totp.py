"""Time-based one-time passwords (RFC 6238) and single-use recovery codes.

A code is accepted in its own 30-second step and in the one after it, never before its
step comes: ASVS 5.0 V6.5.5 gives a TOTP code 30 seconds, and the one step of lateness is
for the person typing it as it changes and for a phone clock a little behind. (Accepting
the step ahead too, as RFC 6238 suggests for drift, let one code stand for 90 seconds.)
A code is never accepted for a step at or before the last one accepted, so it cannot be
replayed.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets

import pyotp
import segno
from django.conf import settings
from django.db import transaction
from django.utils.safestring import SafeString, mark_safe

from boundaries.core.models import Membership, User
from boundaries.security.keys import keyed_hash
from boundaries.security.models import RecoveryCode, TotpDevice

STEP_SECONDS = 30
# The steps a code may come from, relative to now's: its own, or the one just gone.
ACCEPTED_STEPS = (-1, 0)
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def new_secret() -> str:
    return pyotp.random_base32(length=32)


def provisioning_uri(secret: str, account: str) -> str:
    issuer = str(settings.TOTP_ISSUER)
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=issuer)


QR_LABEL = "QR code to scan with your authenticator app"


def qr_svg(uri: str) -> SafeString:
    """The set-up link as a QR code in inline SVG, drawn here (segno): the secret is in it,
    so it must not go to any outside service, and inline it needs no image request. Dark
    on a white quiet zone, so it scans on any theme; a text alternative for screen readers,
    who get the set-up key as text beside it. Always a full QR code: authenticator apps do
    not read Micro QR, which segno would choose for a short link."""
    svg = segno.make_qr(uri, error="m").svg_inline(
        scale=5, dark="#0b0c0c", light="#ffffff", title=QR_LABEL, svgclass="bnd-qr"
    )
    accessible = svg.replace("<svg ", f'<svg role="img" aria-label="{QR_LABEL}" ', 1)
    return mark_safe(accessible)  # noqa: S308 - segno's markup; its only text (the title) is escaped


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def code_at(secret: str, when: dt.datetime) -> str:
    return pyotp.TOTP(secret).at(when)


def _normalise(code: str) -> str:
    return "".join(ch for ch in code if ch.isalnum()).lower()


def accept_code(device: TotpDevice, code: str, now: dt.datetime) -> bool:
    """True, and the step remembered, if `code` is valid now and not used before."""
    code = _normalise(code)
    if len(code) != 6 or not code.isdigit():
        return False
    totp = pyotp.TOTP(device.secret)
    current = int(now.timestamp()) // STEP_SECONDS
    with transaction.atomic():
        locked = TotpDevice.objects.select_for_update().get(pk=device.pk)
        for step in (current + offset for offset in ACCEPTED_STEPS):
            if step <= locked.last_step:
                continue
            if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
                locked.last_step = step
                locked.save(update_fields=["last_step"])
                device.last_step = step
                return True
    return False


def new_recovery_codes(count: int = 10) -> list[str]:
    return [
        "-".join("".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(5)) for _ in range(2))
        for _ in range(count)
    ]


def recovery_hash(code: str) -> str:
    return keyed_hash("recovery", _normalise(code))


def use_recovery_code(user: User, code: str, now: dt.datetime) -> bool:
    """True, and the code spent, if it is one of the person's unused codes."""
    digest = recovery_hash(code)
    with transaction.atomic():
        spent = RecoveryCode.objects.filter(
            user=user, code_hash=digest, used_at__isnull=True
        ).update(used_at=now)
    return spent == 1


def confirmed_device(user: User) -> TotpDevice | None:
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
    return device


def remember_device(user: User, confirmed: bool) -> None:
    """For this request's user object: whether the person has a confirmed app, as the
    session query found it (security/session_engine.py), so no request asks twice."""
    user._has_confirmed_device = confirmed  # type: ignore[attr-defined]


def has_confirmed_device(user: User) -> bool:
    known: bool | None = getattr(user, "_has_confirmed_device", None)
    return known if known is not None else confirmed_device(user) is not None


def required_by(roles: set[str]) -> bool:
    """Whether these roles make a second factor compulsory (the roles with access to
    personal data; see `MFA_REQUIRED_ROLES`)."""
    return bool(roles & set(settings.MFA_REQUIRED_ROLES))


def required_for(user: User) -> bool:
    """`required_by` the roles the person holds anywhere, asked of the database now."""
    roles = list(settings.MFA_REQUIRED_ROLES)
    return bool(roles) and Membership.objects.filter(user=user, role__in=roles).exists()
