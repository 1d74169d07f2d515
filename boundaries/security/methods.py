"""`RefuseTraceMiddleware`: TRACE and TRACK are answered 405 before any view runs.

Django's views answer any method they do not check for as if it were GET, so without this a
TRACE to the home page answered 200 (ASVS 5.0 V13.4.4). Nothing here uses either method.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

Handler = Callable[[HttpRequest], HttpResponse]

REFUSED = frozenset({"TRACE", "TRACK"})
# Every method some address here answers (which of them a given address takes is up to its
# view): pages and the API read with GET and write with POST; nothing uses PUT or DELETE.
ANSWERED = ["GET", "HEAD", "OPTIONS", "POST"]


class RefuseTraceMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in REFUSED:
            return HttpResponseNotAllowed(ANSWERED)
        return self.get_response(request)
