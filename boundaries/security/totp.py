"""Time-based one-time passwords (RFC 6238) and single-use recovery codes.

A code is accepted in its own 30-second step and in the one after it, never before its
step comes: ASVS 5.0 V6.5.5 gives a TOTP code 30 seconds, and the one step of lateness is
for the person typing it as it changes and for a phone clock a little behind. (Accepting
the step ahead too, as RFC 6238 suggests for drift, let one code stand for 90 seconds.)
A code is never accepted for a step at or before the last one accepted, so it cannot be
replayed.

Recovery codes are stored as Argon2id hashes, each with its own salt (`RecoveryCodeHasher`).
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
import secrets

import pyotp
import segno
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
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


class RecoveryCodeHasher(Argon2PasswordHasher):
    """Argon2id at OWASP's first recommended setting (19 MiB, 2 passes, 1 lane), lighter
    than the passwords' Django default (100 MiB, 8 lanes), for ASVS 5.0 V6.5.2.

    A recovery code has about 49 bits (10 characters from 31), short of the 112 that would
    make a fast hash enough, so a stolen copy of the table must cost a guesser a slow hash
    per guess per code, each code salted on its own. But a typed code is compared with
    every unused one of the person's (up to ten: the code says nothing about which it is),
    so a sign-in pays up to ten hashes. Measured on the 2-core machine the tests run on:
    about 19 ms a hash here, so under 0.2 s for ten, against about 116 ms a hash (1.2 s for
    ten) at the password setting. 2^49 guesses at 19 ms each stay out of reach, and the
    code page's throttle (`SIGNIN_MAX_FAILURES`) limits guesses online.
    """

    time_cost = 2
    memory_cost = 19456
    parallelism = 1


RECOVERY_HASHER = RecoveryCodeHasher()
RECOVERY_CODE = re.compile(f"^[{RECOVERY_ALPHABET}]{{10}}$")


def recovery_hash(code: str) -> str:
    """The stored form of a new code: Argon2id with its own salt."""
    return RECOVERY_HASHER.encode(_normalise(code), RECOVERY_HASHER.salt())


def _legacy_hash(code: str) -> str:
    """How codes were stored before V6.5.2 (HMAC-SHA-256 under a key from SECRET_KEY): codes
    printed then still work once, until used or replaced."""
    return keyed_hash("recovery", code)


def _matches(stored: str, typed: str) -> bool:
    if stored.startswith(f"{RECOVERY_HASHER.algorithm}$"):
        return RECOVERY_HASHER.verify(typed, stored)
    return hmac.compare_digest(stored, _legacy_hash(typed))


def use_recovery_code(user: User, code: str, now: dt.datetime) -> bool:
    """True, and the code spent, if it is one of the person's unused codes.

    The hashing happens outside any transaction (it is slow on purpose); spending is one
    conditional update, so of two sign-ins racing with the same code only one succeeds."""
    typed = _normalise(code)
    if not RECOVERY_CODE.match(typed):
        return False  # not shaped like a code (a mistyped app code): nothing to hash
    unused = RecoveryCode.objects.filter(user=user, used_at__isnull=True).order_by("pk")
    for pk, stored in unused.values_list("pk", "code_hash"):
        if _matches(stored, typed):
            spent = RecoveryCode.objects.filter(pk=pk, used_at__isnull=True).update(used_at=now)
            return spent == 1
    return False


def confirmed_device(user: User) -> TotpDevice | None:
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
    return device


# In the session of a person who must set up a new app after their lost one was cleared.
SET_UP_REQUIRED = "security.set_up_required"


def must_set_up(user: User) -> bool:
    """Whether an administrator cleared the person's lost factor and they have not yet set
    up the new one (`actions.clear_lost_second_factor`)."""
    return TotpDevice.objects.filter(user=user, must_set_up=True, confirmed_at=None).exists()


def remember_device(user: User, confirmed: bool) -> None:
    """For this request's user object: whether the person has a confirmed app, as the
    session query found it (security/session_engine.py), so no request asks twice."""
    user._has_confirmed_device = confirmed  # type: ignore[attr-defined]


def has_confirmed_device(user: User) -> bool:
    known: bool | None = getattr(user, "_has_confirmed_device", None)
    return known if known is not None else confirmed_device(user) is not None


def required_by(roles: set[str]) -> bool:
    """Whether these roles make a second factor compulsory (the roles with access to
    personal data; see `MFA_REQUIRED_ROLES`), or the deployment asks it of everyone."""
    return settings.MFA_REQUIRED_FOR_EVERYONE or bool(roles & set(settings.MFA_REQUIRED_ROLES))


def required_for(user: User) -> bool:
    """`required_by` the roles the person holds anywhere, asked of the database now."""
    if settings.MFA_REQUIRED_FOR_EVERYONE:
        return True
    roles = list(settings.MFA_REQUIRED_ROLES)
    return bool(roles) and Membership.objects.filter(user=user, role__in=roles).exists()
