"""Database sessions read together with the signed-in person, their roles and whether they
have an authenticator app: one query.

Every signed-in request needs these before its view runs (the second-factor middleware
asks about the app and the roles). Django's database engine, ModelBackend and the
middleware fetched them with up to five ORM queries, which cost more CPU to compile than
the rest of a small page (docs/decisions/0009). Here one SELECT joins the session to the
person through `LiveSession` (the record each sign-in makes, see sessions.remember), to
their memberships and to their confirmed app.

Nothing is kept between requests, so nothing can go stale: a session deleted on the server
(sign-out, account disabled, role removed) is gone at the next request on every server.
The person found is only a candidate: `django.contrib.auth.get_user` still checks, as it
always did, that the session names that person, that the account is active and that the
session's hash matches the password. A session without a `LiveSession` row, or whose row
names someone else, takes Django's ordinary path.

Use with `SESSION_ENGINE = "boundaries.security.session_engine"` and this module's
`AuthenticationMiddleware` in place of Django's.
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from functools import cache, partial
from typing import Any

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthMiddleware
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.http import HttpRequest
from django.utils import timezone

from boundaries.core import sql
from boundaries.core.access import remember_roles
from boundaries.core.auth_backend import candidate
from boundaries.core.models import Membership, User
from boundaries.security.models import LiveSession, TotpDevice
from boundaries.security.totp import remember_device


@cache
def _query(vendor: str) -> str:
    """The joined SELECT (per database vendor, for its quoting)."""
    s, u, live, m, d = (
        partial(sql.column, model, alias)
        for model, alias in (
            (Session, "s"),
            (User, "u"),
            (LiveSession, "l"),
            (Membership, "m"),
            (TotpDevice, "d"),
        )
    )
    return (
        f"SELECT {s('session_data')}, {sql.columns(User, 'u')}, {d('id')}, "  # noqa: S608  # nosec B608 - names from model metadata
        f"{m('organisation')}, {m('role')} FROM {sql.table(Session)} s "
        f"LEFT JOIN {sql.table(LiveSession)} l ON {live('session_key')} = {s('session_key')} "
        f"LEFT JOIN {sql.table(User)} u ON {u('id')} = {live('user')} "
        f"LEFT JOIN {sql.table(Membership)} m ON {m('user')} = {u('id')} "
        f"LEFT JOIN {sql.table(TotpDevice)} d "
        f"ON {d('user')} = {u('id')} AND {d('confirmed_at')} IS NOT NULL "
        f"WHERE {s('session_key')} = %s AND {s('expire_date')} > %s"
    )


# Decoded session data by its signed text and the keys it was checked with. The database is
# still read on every request; only the checking of an unchanged signature is skipped.
_DECODED: OrderedDict[tuple[str, tuple[str, ...], str | bytes], dict[str, Any]] = OrderedDict()
_DECODED_MAX = 2048


def _copy(data: dict[str, Any]) -> dict[str, Any]:
    """A copy the request may change: JSON's strings, numbers and booleans are immutable."""
    return {k: copy.deepcopy(v) if isinstance(v, dict | list) else v for k, v in data.items()}


class SessionStore(db.SessionStore):
    """Django's database session store; loading it also finds the signed-in person."""

    def __init__(self, session_key: str | None = None) -> None:
        super().__init__(session_key)
        self.person: User | None = None

    def decode(self, session_data: str | bytes) -> dict[str, Any]:
        """Django's decoding, remembered for the exact signed text (its base64, HMAC and JSON
        were a seventh of a signed-in request's CPU). Only what decoded is remembered: a bad
        signature is logged by Django each time; the keys are part of the key, so a rotated
        SECRET_KEY is checked again."""
        fallbacks = tuple(str(k) for k in settings.SECRET_KEY_FALLBACKS)
        key = (str(settings.SECRET_KEY), fallbacks, session_data)
        found = _DECODED.get(key)
        if found is None:
            found = super().decode(session_data)
            if not found:
                return found
            _DECODED[key] = found
            if len(_DECODED) > _DECODED_MAX:
                _DECODED.popitem(last=False)
        return _copy(found)

    def _get_session_from_db(self) -> Session | None:
        from django.db import connection

        found = sql.rows(
            _query(connection.vendor), [self.session_key, sql.datetime_param(timezone.now())]
        )
        if not found:
            self._session_key = None
            return None
        person = sql.instance(User, found[0][1 : 1 + sql.width(User)])
        if person is not None:
            remember_roles(person, [(row[-2], row[-1]) for row in found if row[-1] is not None])
            remember_device(person, found[0][-3] is not None)
        self.person = person
        return Session(session_key=self.session_key or "", session_data=found[0][0])

    def signed_in_person(self) -> User | None:
        """The person the session's sign-in record names, loading the session if need be."""
        self._get_session()  # type: ignore[attr-defined]
        return self.person


def get_user(request: HttpRequest) -> Any:
    """`request.user`: Django's own checks, fed the person the session query found."""
    if not hasattr(request, "_cached_user"):
        session = request.session
        person = session.signed_in_person() if isinstance(session, SessionStore) else None
        with candidate(person):
            user: User | AnonymousUser = auth.get_user(request)
        request._cached_user = user  # type: ignore[attr-defined]
    return request._cached_user  # type: ignore[attr-defined]


class AuthenticationMiddleware(DjangoAuthMiddleware):
    """Django's middleware, with `request.user` from the one-query session load.

    The person is found at once rather than lazily: the next middleware asks whether the
    session is signed in on every request anyway, and a lazy object costs a detour on each
    of the hundred or so times a page reads `request.user`.
    """

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = get_user(request)
