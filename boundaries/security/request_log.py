"""Each request's identifier, and a log line for each refusal of a signed-in person.

The identifier is made here for each request (or taken from a well-formed `X-Request-ID`
when the deployment trusts its proxy, TRUST_X_FORWARDED_FOR), stamped on every log line
written while the request runs (core/logs.py) and sent back as `X-Request-ID`, so a
person's report, the web server's log and ours meet on one value.

The access functions refuse with the same 404 whether the thing is missing or not the
person's to see (core/access.py says why); this middleware sees each one a view raises,
and the API's handler (api/api.py) those it turns into answers, and writes one line on
`boundaries.security.refused`: who by id, the route, the kind of thing the refusal named,
the identifiers the URL gave, and the client address. Never a name, an email or any text
a person wrote. A URL that matches no route is not a refusal and is not logged.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.log import log_response

from boundaries.core.logs import REQUEST_ID
from boundaries.security.throttle import client_address

Handler = Callable[[HttpRequest], HttpResponse]
logger = logging.getLogger("boundaries.security.refused")

_WELL_FORMED = re.compile(r"[A-Za-z0-9-]{8,64}")
_KIND = re.compile(r"No such ([a-z][a-z -]{0,40})")
# URL values logged as they are besides numbers: an organisation's slug, an import's kind.
_NAMED_VALUES = {"org", "kind"}


def _request_id(request: HttpRequest) -> str:
    if settings.TRUST_X_FORWARDED_FOR:
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        if _WELL_FORMED.fullmatch(given):
            return str(given)
    return os.urandom(8).hex()


class RequestLogMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = _request_id(request)
        token = REQUEST_ID.set(request_id)
        try:
            response = self.get_response(request)
            if response.status_code >= 400:
                # As Django would once the request is over; here the line gets the identifier.
                log_response(
                    "%s: %s",
                    response.reason_phrase,
                    request.path,
                    response=response,
                    request=request,
                )
        finally:
            REQUEST_ID.reset(token)
        response["X-Request-ID"] = request_id
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, Http404 | PermissionDenied):
            refused(request, exception)


def refused(request: HttpRequest, exception: Exception) -> None:
    """Log a refusal of a signed-in person on a route (nothing for anyone else)."""
    user = getattr(request, "user", None)
    match = request.resolver_match
    if user is None or not user.is_authenticated or match is None:
        return
    token = getattr(user, "token", None)
    who = f"token:{token.prefix}" if token is not None else str(user.pk)
    kind = _KIND.fullmatch(str(exception))
    given = " ".join(
        f"{name}={value}"
        for name, value in match.kwargs.items()
        if isinstance(value, int) or name in _NAMED_VALUES
    )
    logger.warning(
        "refused status=%s user=%s route=%s kind=%s %s address=%s",
        404 if isinstance(exception, Http404) else 403,
        who,
        match.view_name,
        kind.group(1).replace(" ", "-") if kind else "-",
        given or "-",
        client_address(request),
    )
