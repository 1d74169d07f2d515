"""Request-wide protections, in the order settings.MIDDLEWARE lists them:

- `RequestSizeMiddleware` refuses bodies over REQUEST_MAX_BYTES before anything reads them;
- `SessionLifetimeMiddleware` ends a session SESSION_ABSOLUTE_HOURS after sign-in,
  however active, and renews its idle expiry (the cookie age) at most once a minute;
- `SecondFactorMiddleware` holds a signed-in person at the code page (or at setting up an
  app, for roles that must have one and for someone whose lost app was cleared) until the
  session has passed its second factor, and answers 503 with a plain page when a sealed
  sign-in secret does not open (a wrong FIELD_ENCRYPTION_KEY), logging which key it needs;
- `NoStoreMiddleware` keeps every page and API answer out of browser and proxy caches.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from boundaries.core.access import held_roles
from boundaries.core.models import User
from boundaries.security import encryption, sessions, totp

Handler = Callable[[HttpRequest], HttpResponse]
logger = logging.getLogger(__name__)


class RequestSizeMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse("Bad Content-Length", status=400, content_type="text/plain")
        if length > int(settings.REQUEST_MAX_BYTES):
            limit_mb = int(settings.REQUEST_MAX_BYTES) // (1024 * 1024)
            return HttpResponse(
                f"The request is too large: the limit is {limit_mb} MB",
                status=413,
                content_type="text/plain",
            )
        return self.get_response(request)


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


class SessionLifetimeMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            age = sessions.age_of(request, sessions.SIGNED_IN_AT)
            limit = dt.timedelta(hours=int(settings.SESSION_ABSOLUTE_HOURS))
            if age is None or age > limit:
                logout(request)
                if _wants_json(request):
                    return JsonResponse({"detail": "Your session has ended"}, status=401)
                query = urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(f"{reverse('login')}?{query}")
            renewed = sessions.age_of(request, sessions.RENEWED_AT)
            if renewed is None or renewed.total_seconds() >= int(settings.SESSION_RENEW_SECONDS):
                sessions.stamp(request, sessions.RENEWED_AT)  # saved with a fresh expiry
        return self.get_response(request)


# Pages a person may reach before passing the second factor.
OPEN_BEFORE_SECOND_FACTOR = frozenset(
    {
        "login",
        "logout",
        "security:code",
        "security:set_up",
        "security:provider_start",
        "security:provider_callback",
        "security:health",
    }
)


class SecondFactorMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, encryption.EncryptionKeyError):
            return None
        logger.error("A sealed sign-in secret did not open: %s", exception)
        if _wants_json(request):
            return JsonResponse({"detail": "Sign-in is unavailable"}, status=503)
        return render(request, "security/secrets_unavailable.html", status=503)

    def process_view(
        self, request: HttpRequest, view: object, args: object, kwargs: object
    ) -> HttpResponse | None:
        user = request.user
        if not isinstance(user, User) or sessions.age_of(request, sessions.SECOND_FACTOR_AT):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        # From what the session query found for this request: no further queries.
        if totp.has_confirmed_device(user):
            target = "security:code"
        elif totp.required_by(held_roles(user)) or request.session.get(totp.SET_UP_REQUIRED):
            target = "security:set_up"
        else:
            return None
        if _wants_json(request):
            return JsonResponse(
                {"detail": "Finish signing in with your second factor first"}, status=401
            )
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse(target)}?{query}")


class NoStoreMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response
