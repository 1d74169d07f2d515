"""Device cookies (OWASP's "Slow Down Online Guessing Attacks with Device Cookies"), so
that someone who knows a username cannot lock its owner out (ASVS 5.0 V6.1.1).

After a correct password a browser gets a cookie naming the account and a random nonce,
signed with SECRET_KEY (Django's signing) and holding nothing else: it proves only that
this browser signed in to that account before. Failed sign-ins from a browser with a valid
entry for the account count against that browser alone (the `device` counter, keyed on
account and nonce), so it keeps its own small allowance while failures from everywhere
else lock only browsers without one (the `account` counter). The per-address counter
applies either way.

Each sign-in replaces the account's entry with a fresh nonce and date; an entry older than
`DEVICE_COOKIE_DAYS` no longer counts, and a browser remembers the last
`ACCOUNTS_PER_BROWSER` accounts signed in on it (a shared staffroom computer).
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

from boundaries.core.models import User
from boundaries.security.keys import keyed_hash
from boundaries.security.models import FailureCounter

DEVICE_COOKIE_DAYS = 90
ACCOUNTS_PER_BROWSER = 5
SALT = "boundaries.security.device_cookie"
Entry = tuple[int, str, int]  # account, nonce, issued (Unix time)


def cookie_name() -> str:
    """`__Host-` in production: browsers then keep it to this host, over HTTPS, on path /."""
    return "__Host-signin-device" if settings.SESSION_COOKIE_SECURE else "signin-device"


def _entries(request: HttpRequest | None) -> list[Entry]:
    """The browser's entries still in date; none for a missing or tampered cookie."""
    raw = request.COOKIES.get(cookie_name(), "") if request is not None else ""
    try:
        loaded: Any = signing.loads(raw, salt=SALT) if raw else []
    except signing.BadSignature:
        return []
    oldest = time.time() - DEVICE_COOKIE_DAYS * 86400
    found: list[Entry] = []
    for item in loaded if isinstance(loaded, list) else []:
        if isinstance(item, list) and len(item) == 3:
            user_pk, nonce, issued = item
            well_formed = isinstance(user_pk, int) and isinstance(nonce, str)
            if well_formed and isinstance(issued, int) and issued > oldest:
                found.append((user_pk, nonce, issued))
    return found


def counter_for(request: HttpRequest | None, user: User | None) -> tuple[str, str] | None:
    """The failure counter (scope, key) of this browser for `user`, if it holds a valid
    device cookie for them; None for every other browser and for unknown names."""
    if user is None:
        return None
    nonce = next((n for pk, n, _ in _entries(request) if pk == user.pk), None)
    if nonce is None:
        return None
    return FailureCounter.Scope.DEVICE, keyed_hash("device", f"{user.pk}:{nonce}")


def issue(request: HttpRequest, response: HttpResponse, user: User) -> None:
    """Give the browser a fresh entry for `user` after a correct password."""
    others = [e for e in _entries(request) if e[0] != user.pk]
    fresh: Entry = (user.pk, secrets.token_urlsafe(16), int(time.time()))
    entries = [fresh, *others][:ACCOUNTS_PER_BROWSER]
    response.set_cookie(
        cookie_name(),
        signing.dumps([list(e) for e in entries], salt=SALT),
        max_age=DEVICE_COOKIE_DAYS * 86400,
        path="/",
        secure=bool(settings.SESSION_COOKIE_SECURE),
        httponly=True,
        samesite="Lax",
    )
