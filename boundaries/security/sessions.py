"""A person's live sessions: recorded at sign-in, ended on the server when the account is
disabled or a role is removed, when the person changes a sign-in factor or ends their
other sessions, or when an administrator ends them; limited to an absolute lifetime.

Session keys in the request session (all prefixed so other apps do not collide):
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import update_session_auth_hash
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from boundaries.core.models import User
from boundaries.security import browsers
from boundaries.security.models import LiveSession

SIGNED_IN_AT = "security.signed_in_at"
SECOND_FACTOR_AT = "security.second_factor_at"
REAUTH_AT = "security.reauth_at"
RENEWED_AT = "security.renewed_at"


def stamp(request: HttpRequest, key: str, now: dt.datetime | None = None) -> None:
    request.session[key] = (now or timezone.now()).timestamp()


def age_of(request: HttpRequest, key: str, now: dt.datetime | None = None) -> dt.timedelta | None:
    """How long ago `key` was stamped in this session, or None if never."""
    raw = request.session.get(key)
    if not isinstance(raw, int | float):
        return None
    return (now or timezone.now()) - dt.datetime.fromtimestamp(raw, tz=dt.UTC)


def remember(user: User, session_key: str | None, now: dt.datetime, device: str = "") -> None:
    if not session_key:
        return
    LiveSession.objects.update_or_create(
        session_key=session_key, defaults={"user": user, "signed_in_at": now, "device": device}
    )


def rotate(request: HttpRequest, user: User, now: dt.datetime) -> None:
    """Give the session a new key, keeping its data, when the person proves who they are
    again; their sign-in record follows the new key (the session engine finds the person
    through it) and keeps the time they signed in."""
    old_key = request.session.session_key
    with transaction.atomic():
        request.session.cycle_key()
        _follow(old_key, request.session.session_key, user, now)


def keep_after_password_change(request: HttpRequest, user: User, now: dt.datetime) -> None:
    """Keep this session signed in after the person changed their password: Django gives
    it a new key and the new password's hash (the other sessions hold the old hash, so
    Django signs them out), and the sign-in record follows the new key."""
    old_key = request.session.session_key
    with transaction.atomic():
        update_session_auth_hash(request, user)
        _follow(old_key, request.session.session_key, user, now)


def _follow(old_key: str | None, new_key: str | None, user: User, now: dt.datetime) -> None:
    moved = 0
    if old_key and new_key:
        moved = LiveSession.objects.filter(session_key=old_key).update(session_key=new_key)
    if not moved:
        remember(user, new_key, now)


def forget(session_key: str | None) -> None:
    if session_key:
        LiveSession.objects.filter(session_key=session_key).delete()


def end_sessions_of(user_id: int, *, keep: str | None = None) -> int:
    """Delete every server-side session of a person but `keep` (the one they are using,
    when they end their others); their next request there is signed out. Answers how
    many ended."""
    with transaction.atomic():
        live = LiveSession.objects.select_for_update().filter(user_id=user_id)
        if keep:
            live = live.exclude(session_key=keep)
        keys = list(live.values_list("session_key", flat=True))
        Session.objects.filter(session_key__in=keys).delete()
        LiveSession.objects.filter(session_key__in=keys).delete()
    return len(keys)


def on_signed_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    from boundaries.security.totp import confirmed_device

    now = timezone.now()
    for key in (SECOND_FACTOR_AT, REAUTH_AT):
        request.session.pop(key, None)
    stamp(request, SIGNED_IN_AT, now)
    if confirmed_device(user) is None:
        # A password is the whole proof for someone without an app; with one, the code
        # page stamps the session once the code is right.
        stamp(request, REAUTH_AT, now)
    device = browsers.describe(str(request.META.get("HTTP_USER_AGENT", "")))
    remember(user, request.session.session_key, now, device)


def on_signed_out(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        forget(request.session.session_key)


def on_user_saved(sender: Any, instance: User, created: bool, **kwargs: Any) -> None:
    if not created and not instance.is_active:
        end_sessions_of(instance.pk)


def on_membership_removed(sender: Any, instance: Any, **kwargs: Any) -> None:
    end_sessions_of(instance.user_id)
