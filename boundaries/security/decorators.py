"""`require_recent_auth`: put it on views that change a second factor or export in bulk.

The person must have proved who they are (password, and the second factor when they have
one) within the last REAUTH_MINUTES; otherwise they are sent to confirm it and back.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from boundaries.security import sessions

View = Callable[..., HttpResponse]


def recently_authenticated(request: HttpRequest) -> bool:
    age = sessions.age_of(request, sessions.REAUTH_AT)
    return age is not None and age <= dt.timedelta(minutes=int(settings.REAUTH_MINUTES))


def require_recent_auth(view: View) -> View:
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not recently_authenticated(request):
            next_url = request.get_full_path() if request.method == "GET" else request.path
            query = urlencode({"next": next_url})
            return HttpResponseRedirect(f"{reverse('security:confirm')}?{query}")
        return view(request, *args, **kwargs)

    return wrapped
