"""`ApiNeedsHttpsMiddleware`: plain-HTTP calls to the API are refused, not redirected.

Pages redirect plain HTTP to HTTPS (SECURE_SSL_REDIRECT), which suits a person typing an
address. A program calling the API over HTTP has already sent its token in clear by the
time a redirect could answer, and most clients would follow it silently and go on doing
so; a refusal makes the mistake visible at the first call (ASVS 5.0 V4.1.2). The API is
left out of the redirect by SECURE_REDIRECT_EXEMPT, and answered 403 here.

Used only where HTTPS is required (SECURE_SSL_REDIRECT on, as in production); elsewhere
Django leaves it out of the chain.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpRequest, HttpResponse, JsonResponse

Handler = Callable[[HttpRequest], HttpResponse]

API_PREFIX = "/api/"


class ApiNeedsHttpsMiddleware:
    def __init__(self, get_response: Handler) -> None:
        if not settings.SECURE_SSL_REDIRECT:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX) and not request.is_secure():
            return JsonResponse(
                {"detail": "The API answers only over HTTPS: call it at https:// instead"},
                status=403,
            )
        return self.get_response(request)
