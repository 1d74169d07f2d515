"""Sign-in with either the username or the email address; and, on every request, the
signed-in person from the session's own query when it found them (security.session_engine).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q
from django.http import HttpRequest

from boundaries.core.models import User

_candidate: ContextVar[User | None] = ContextVar("signed_in_candidate", default=None)


@contextmanager
def candidate(user: User | None) -> Iterator[None]:
    """While `django.contrib.auth.get_user` runs: the person the session query found, so
    `get_user` below need not query again. Only for the id the session names."""
    token = _candidate.set(user)
    try:
        yield
    finally:
        _candidate.reset(token)


class UsernameOrEmailBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or password is None:
            return None
        user = User.objects.filter(Q(username=username) | Q(email__iexact=username)).first()
        if user is None:
            # Hash anyway so a missing account takes as long as a wrong password.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id: Any) -> User | None:
        found = _candidate.get()
        if found is not None and found.pk == user_id:
            return found if self.user_can_authenticate(found) else None
        return super().get_user(user_id)
