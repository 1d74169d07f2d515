"""Lockout after repeated failed sign-ins, counted in the database (so across servers).

Counters are kept per account (or per typed name when no account matches, so an unknown
name locks exactly like a real one and the response tells nothing) and per client address.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest

from boundaries.core import audit
from boundaries.core.models import User
from boundaries.security import signin_log
from boundaries.security.keys import keyed_hash
from boundaries.security.models import FailureCounter

Scope = FailureCounter.Scope


def client_address(request: HttpRequest | None) -> str:
    """The client's address; behind a trusted proxy, the one it appended last."""
    if request is None:
        return "unknown"
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if hops:
            return hops[-1]
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def account_key(typed_name: str) -> tuple[str, User | None]:
    """One key per account whichever name was typed; one per name when none matches."""
    name = typed_name.strip()
    user = User.objects.filter(Q(username=name) | Q(email__iexact=name)).first() if name else None
    if user is not None:
        return keyed_hash("account", f"user:{user.pk}"), user
    return keyed_hash("account", f"name:{name.lower()}"), None


def _limit(scope: str) -> int:
    if scope == Scope.ADDRESS:
        return int(settings.SIGNIN_MAX_FAILURES_PER_ADDRESS)
    return int(settings.SIGNIN_MAX_FAILURES)


def _window() -> dt.timedelta:
    return dt.timedelta(minutes=int(settings.SIGNIN_LOCKOUT_MINUTES))


def is_locked(scope: str, key: str, now: dt.datetime) -> bool:
    counter = FailureCounter.objects.filter(scope=scope, key=key).first()
    return counter is not None and counter.is_locked(now)


def record_failure(
    scope: str, key: str, now: dt.datetime, *, user: User | None = None, address: str = "unknown"
) -> FailureCounter:
    """Count one failure; lock for the window once the limit is reached (audited, and
    logged with the client `address`)."""
    with transaction.atomic():
        counter, _ = FailureCounter.objects.select_for_update().get_or_create(
            scope=scope, key=key, defaults={"window_started_at": now}
        )
        if counter.window_started_at < now - _window() and not counter.is_locked(now):
            counter.failures = 0
            counter.window_started_at = now
            counter.locked_until = None
        counter.failures += 1
        newly_locked = counter.failures >= _limit(scope) and not counter.is_locked(now)
        if newly_locked:
            counter.locked_until = now + _window()
        counter.save()
        # Counters are kept only while they can matter: a day after their window, they go.
        FailureCounter.objects.filter(
            window_started_at__lt=now - dt.timedelta(days=1), locked_until__lt=now
        ).delete()
        FailureCounter.objects.filter(
            window_started_at__lt=now - dt.timedelta(days=1), locked_until__isnull=True
        ).delete()
        if newly_locked:
            audit.record(
                "security.sign_in_locked",
                actor=None,
                obj=user,
                after={"scope": scope, "failures": counter.failures},
                now=now,
            )
    if newly_locked:
        signin_log.locked(scope, user, address)
    return counter


def clear(scope: str, key: str) -> None:
    FailureCounter.objects.filter(scope=scope, key=key).delete()
