"""The CSRF token that pages put in their forms, masked with one read of the random source.

Why: every page carries a form (the sign-out button in the header), so every page asks for
a token. Django masks the CSRF secret afresh for each page, so that a compressed page does
not give the secret away (BREACH), and draws the 32 characters of the mask one at a time
through `secrets.choice`: 33 calls to `os.urandom` and about 50 µs, a twentieth of a small
page's CPU (docs/decisions/0009). Here the mask is drawn from one `os.urandom` call, each
character equally likely (bytes that would favour some characters are dropped), and the
token is Django's own shape, which its middleware checks as it checks its own.

Everything else is Django's: the secret is the one the middleware read from the cookie (or
Django makes one, on a visitor's first page). `get_token` also sends the cookie again with
every page to renew its expiry; with CSRF_COOKIE_AGE = None (settings.py) the cookie ends
with the browser session and has no expiry to renew, so it is sent only when it is new.
"""

from __future__ import annotations

import os
from functools import partial

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token
from django.utils.functional import SimpleLazyObject, lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString

_COUNT = len(CSRF_ALLOWED_CHARS)
_INDEX = {char: i for i, char in enumerate(CSRF_ALLOWED_CHARS)}
# Bytes from here up are dropped: 256 is not a multiple of 62, and keeping them would make
# the first eight characters likelier than the rest.
_UNBIASED_BELOW = 256 - 256 % _COUNT


def _random_indices(count: int) -> list[int]:
    """`count` independent, uniformly random positions in CSRF_ALLOWED_CHARS."""
    found: list[int] = []
    while len(found) < count:
        found.extend(b % _COUNT for b in os.urandom(count + 8) if b < _UNBIASED_BELOW)
    return found[:count]


def masked(secret: str) -> str:
    """The secret under a fresh random mask: mask + (secret + mask), character by character,
    as `django.middleware.csrf._mask_cipher_secret` makes it."""
    mask = _random_indices(len(secret))
    cipher = "".join(
        CSRF_ALLOWED_CHARS[(_INDEX[char] + shift) % _COUNT]
        for char, shift in zip(secret, mask, strict=True)
    )
    return "".join(CSRF_ALLOWED_CHARS[i] for i in mask) + cipher


def token(request: HttpRequest) -> str:
    """`django.middleware.csrf.get_token`, with the faster mask."""
    secret = request.META.get("CSRF_COOKIE")
    if (
        not isinstance(secret, str)
        or len(secret) != CSRF_SECRET_LENGTH
        or any(char not in _INDEX for char in secret)
    ):
        return get_token(request)  # no secret yet: Django makes it and sets the cookie
    if settings.CSRF_COOKIE_AGE is not None:
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # renew its expiry, as get_token does
    return masked(secret)


def _input(request: HttpRequest) -> SafeString:
    return format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token(request)
    )


_lazy_input = lazy(_input, SafeString)  # made once: lazy() builds a class


def csrf(request: HttpRequest) -> dict[str, object]:
    """Context processor, listed after Django's own `csrf` so that its values win:
    `csrf_token` for `{% csrf_token %}`, and `csrf_input` for Jinja2 templates."""
    return {
        "csrf_token": SimpleLazyObject(partial(token, request)),
        "csrf_input": _lazy_input(request),
    }
