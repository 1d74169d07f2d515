"""One log line for each authentication event (ASVS 5.0 V16.3.1): each password, code and
organisation sign-in that succeeds or fails, each refusal because of a lockout, and each
lockout as it starts.

All go to the `boundaries.security` logger, so a log processor needs one name to watch.
A line names the factor, the account when one is known (its number and username, never
what was typed when no account matches: that could be a password typed into the wrong
box) and the client address; never a password or a code. Failed attempts are not audit
events: anyone can make them, and the audit chain is for what people with accounts did.

Every value is reduced to printable characters without spaces, so nothing in a request (an
X-Forwarded-For header, say) can start a new line or pass for another field.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest

from boundaries.core.models import User

logger = logging.getLogger("boundaries.security")


def _clean(value: object) -> str:
    text = "".join(ch if ch.isprintable() and not ch.isspace() else "?" for ch in str(value))
    return text[:120] or "-"


def _account(user: User | None) -> str:
    return f"{user.pk}:{_clean(user.get_username())}" if user is not None else "unknown"


def _address(request: HttpRequest | None) -> str:
    from boundaries.security.throttle import client_address

    return _clean(client_address(request))


def succeeded(request: HttpRequest | None, user: User, *, factor: str) -> None:
    """`factor`: password, totp, recovery, password_and_code (confirming it is you),
    provider, provider_mfa (the provider's own MFA counted as ours)."""
    logger.info(
        "authentication succeeded factor=%s account=%s address=%s",
        _clean(factor),
        _account(user),
        _address(request),
    )


def failed(request: HttpRequest | None, user: User | None, *, factor: str, reason: str) -> None:
    """`reason`: a short word of ours (wrong, locked, inactive, refused by the provider…)."""
    logger.warning(
        "authentication failed factor=%s reason=%s account=%s address=%s",
        _clean(factor),
        _clean(reason),
        _account(user),
        _address(request),
    )


def locked(scope: str, user: User | None, address: str) -> None:
    """A counter reached its limit: the account, the address or the codes are locked."""
    logger.warning(
        "authentication locked scope=%s account=%s address=%s",
        _clean(scope),
        _account(user),
        _clean(address),
    )
