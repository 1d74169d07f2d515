"""What the base layout (templates/base.html) shows on every page, worked out in Python.

Why: every page pays for its layout. With template tags, the two static files and the two
fixed links were looked up again on each request (`{% static %}`, `{% url %}`), and the
signed-in name went through the lazy `request.user` several times: about a third of the
cost of rendering a small page (docs/decisions/0009). The fixed addresses depend only on
the URL configuration, the script prefix and the static files settings, so they are
found once per process for each of those; the name is read once per request.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse


@dataclass(frozen=True)
class Layout:
    """`layout` in every page's context: the fixed addresses and who is signed in."""

    stylesheet: str
    script: str
    home: str
    sign_out: str
    signed_in_as: str | None = None  # the name in the header


@lru_cache(maxsize=16)
def _fixed(script_prefix: str, urlconf: str | None) -> Layout:
    return Layout(
        stylesheet=static("build/boundaries.css"),
        script=static("build/init.mjs"),
        home=reverse("home"),
        sign_out=reverse("logout"),
    )


@receiver(setting_changed)
def _static_settings_changed(*, setting: str, **kwargs: Any) -> None:
    if setting in {"STATIC_URL", "STORAGES", "ROOT_URLCONF"}:
        _fixed.cache_clear()


def layout(request: HttpRequest) -> dict[str, Layout]:
    """Context processor: `layout`."""
    fixed = _fixed(get_script_prefix(), get_urlconf())
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"layout": fixed}
    return {"layout": replace(fixed, signed_in_as=user.get_full_name() or user.get_username())}
