"""Rate limits beyond sign-in (ASVS 5.0 V2.4.1): API calls per token or person, and post
checks, uploads and exports per person, so one account or token cannot hammer the rest.

Which routes are limited, and as what, is the one table `ROUTE_LIMITS`; every API
operation also counts as an API call (`ApiThrottle`, set on the NinjaAPI, which runs once
the token or session is known). Requests are counted in the database, in fixed windows, by
one atomic statement, so a limit holds across every application server of a deployment.

A page not in the table costs nothing: `RateLimitMiddleware` looks up the route's name
before touching the session or the database, so `/healthz` and the busiest pages run no
extra statement.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.throttling import BaseThrottle

from boundaries.core import sql
from boundaries.security.keys import keyed_hash
from boundaries.security.models import RateCount

logger = logging.getLogger("boundaries.security")


@dataclass(frozen=True)
class Kind:
    name: str
    setting: str
    seconds: int
    what: str

    def limit(self) -> int:
        """0 (or less) means no limit; RATE_LIMITS_ENABLED=false switches all off."""
        if not settings.RATE_LIMITS_ENABLED:
            return 0
        return int(getattr(settings, self.setting))

    @property
    def per_period(self) -> str:
        return "a minute" if self.seconds == 60 else "an hour"


API = Kind("api", "RATE_LIMIT_API_PER_MINUTE", 60, "API calls")
POST_CHECK = Kind("post_check", "RATE_LIMIT_POST_CHECKS_PER_MINUTE", 60, "post checks")
UPLOAD = Kind("upload", "RATE_LIMIT_UPLOADS_PER_HOUR", 3600, "uploads")
EXPORT = Kind("export", "RATE_LIMIT_EXPORTS_PER_HOUR", 3600, "exports")

SENDS = frozenset({"POST", "PUT", "PATCH"})
ANY = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class Limited:
    kind: Kind
    methods: frozenset[str] = SENDS


# Route name -> what a request to it counts as. Forms count when sent, not when shown.
ROUTE_LIMITS: dict[str, Limited] = {
    "screening:check": Limited(POST_CHECK),
    "policies:import": Limited(UPLOAD),
    "roster:import": Limited(UPLOAD),
    "webactivity:upload": Limited(UPLOAD),
    "webactivity:identities": Limited(UPLOAD),
    "concerns:attach": Limited(UPLOAD),
    "concerns:export": Limited(EXPORT, ANY),
    "concerns:contacts_export": Limited(EXPORT, ANY),
    "declarations:export": Limited(EXPORT, ANY),
    "declarations:recruitment_export": Limited(EXPORT, ANY),
    "declarations:devices_export": Limited(EXPORT, ANY),
    "reports:acknowledgements_csv": Limited(EXPORT, ANY),
    "reports:authority_csv": Limited(EXPORT, ANY),
    "reports:handbook": Limited(EXPORT, ANY),
    "reports:governors_pdf": Limited(EXPORT, ANY),
    # API operations: counted as this as well as an API call.
    "api-v1:screen": Limited(POST_CHECK),
    "api-v1:import_policy": Limited(UPLOAD),
    "api-v1:import_csv": Limited(UPLOAD),
}


@dataclass(frozen=True)
class Refusal:
    kind: Kind
    limit: int
    retry_after: int


def _add_one(kind: str, key: str, window_end: int) -> int:
    """One statement, atomic on PostgreSQL and SQLite alike: concurrent requests each get a
    count of their own, so exactly the limit gets through. (The ORM would need a read and
    a write under a lock.)"""
    table = sql.table(RateCount)
    kind_, key_, end_, count_ = (sql.quote(n) for n in ("kind", "key", "window_end", "count"))
    statement = (
        f"INSERT INTO {table} ({kind_}, {key_}, {end_}, {count_}) VALUES (%s, %s, %s, 1) "  # noqa: S608  # nosec B608 - names from model metadata
        f"ON CONFLICT ({kind_}, {key_}, {end_}) DO UPDATE SET {count_} = {table}.{count_} + 1 "
        f"RETURNING {count_}"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [kind, key, window_end])
        row = cursor.fetchone()
    return int(row[0])


def take(kind: Kind, subject: str, now: float | None = None) -> Refusal | None:
    """Count one request of `kind` by `subject` (`user:<id>` or `token:<id>`); a Refusal
    once the window's limit is passed. The first request of a window clears ended ones."""
    limit = kind.limit()
    if limit <= 0:
        return None
    moment = time.time() if now is None else now
    window_end = (int(moment) // kind.seconds + 1) * kind.seconds
    count = _add_one(kind.name, keyed_hash("rate", subject), window_end)
    if count == 1:
        RateCount.objects.filter(window_end__lte=int(moment)).delete()
    if count <= limit:
        return None
    return Refusal(kind, limit, max(1, math.ceil(window_end - moment)))


def subject_of(request: HttpRequest) -> str | None:
    """Whom a request is counted against: its API token, or its signed-in person."""
    token = getattr(request.user, "token", None)
    if token is not None:
        return f"token:{token.pk}"
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return None


def _log(request: HttpRequest, refusal: Refusal, subject: str) -> None:
    match = request.resolver_match
    organisation = match.kwargs.get("org", "-") if match else "-"
    logger.warning(
        "rate limit reached kind=%s route=%s organisation=%s by=%s limit=%s retry_after=%s",
        refusal.kind.name,
        match.view_name if match else "-",
        "".join(ch for ch in str(organisation) if ch.isalnum() or ch in "-_")[:60] or "-",
        "token" if subject.startswith("token:") else "person",
        refusal.limit,
        refusal.retry_after,
    )


def check(request: HttpRequest, kinds: list[Kind]) -> Refusal | None:
    """Count the request against each kind; the longest wait among those refused."""
    subject = subject_of(request)
    if subject is None:
        return None
    refusals = [r for r in (take(kind, subject) for kind in kinds) if r is not None]
    if not refusals:
        return None
    refusal = max(refusals, key=lambda r: r.retry_after)
    _log(request, refusal, subject)
    return refusal


def _route_kinds(request: HttpRequest) -> list[Kind]:
    match = request.resolver_match
    limited = ROUTE_LIMITS.get(match.view_name) if match is not None else None
    if limited is None or request.method not in limited.methods:
        return []
    return [limited.kind]


def wait_in_words(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} seconds"
    return f"{math.ceil(seconds / 60)} minutes"


class RateLimitMiddleware:
    """Pages: a request to a route in `ROUTE_LIMITS` by a signed-in person is counted; past
    the limit it gets a 429 page saying when to try again. The API limits itself below."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: object, args: object, kwargs: object
    ) -> HttpResponse | None:
        if request.path.startswith("/api/"):
            return None
        kinds = _route_kinds(request)
        refusal = check(request, kinds) if kinds else None
        if refusal is None:
            return None
        response = render(
            request,
            "security/rate_limited.html",
            {"refusal": refusal, "wait": wait_in_words(refusal.retry_after)},
            status=429,
        )
        response["Retry-After"] = str(refusal.retry_after)
        return response


class ApiThrottle(BaseThrottle):
    """Every API operation counts as an API call by its token (or person), and as the
    route's own kind when `ROUTE_LIMITS` names it."""

    def allow_request(self, request: HttpRequest) -> bool:
        refusal = check(request, [API, *_route_kinds(request)])
        if refusal is None:
            return True
        request.rate_limit_refusal = refusal  # type: ignore[attr-defined]
        return False

    def wait(self) -> float | None:
        """Per request, so not here (one instance serves every thread): see `api_refusal`."""
        return None


def api_refusal(request: HttpRequest) -> dict[str, Any]:
    """The JSON body of a refused API call, and the wait for its Retry-After header."""
    refusal: Refusal = getattr(request, "rate_limit_refusal", Refusal(API, 0, 60))
    return {
        "detail": (
            f"Too many {refusal.kind.what}: the limit is {refusal.limit} "
            f"{refusal.kind.per_period}. Try again in {wait_in_words(refusal.retry_after)}."
        ),
        "retry_after": refusal.retry_after,
    }


def document_refusals(schema: dict[str, Any]) -> None:
    """Add the 429 answer, its body and Retry-After header, to every operation."""
    answer = {
        "description": "Too many requests: this token's or person's limit is reached",
        "headers": {
            "Retry-After": {
                "description": "Seconds until the limit's window ends",
                "schema": {"type": "integer"},
            }
        },
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RateLimited"}}},
    }
    schema.setdefault("components", {}).setdefault("schemas", {})["RateLimited"] = {
        "title": "RateLimited",
        "type": "object",
        "properties": {
            "detail": {"title": "Detail", "type": "string"},
            "retry_after": {"title": "Retry After", "type": "integer"},
        },
        "required": ["detail", "retry_after"],
    }
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict) and "responses" in operation:
                operation["responses"].setdefault("429", answer)
