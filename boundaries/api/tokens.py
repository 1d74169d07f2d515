"""Organisation-scoped API tokens. Only a hash is stored; the token is shown once."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from boundaries.core import audit
from boundaries.core.models import ApiToken, Organisation, User

# What each scope lets a token do, expressed as the role it stands in for.
SCOPE_ROLES = {"read": {"staff"}, "screen": {"staff"}}


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(
    organisation: Organisation,
    *,
    name: str,
    scopes: list[str],
    actor: User | None,
    now: dt.datetime | None = None,
) -> tuple[ApiToken, str]:
    unknown = set(scopes) - set(SCOPE_ROLES)
    if unknown or not scopes:
        raise ValueError(f"scopes must be among {sorted(SCOPE_ROLES)}")
    prefix = secrets.token_hex(4)
    secret = f"bnd_{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        token = ApiToken.objects.create(
            organisation=organisation,
            name=name,
            prefix=prefix,
            token_hash=_digest(secret),
            scopes=sorted(scopes),
            created_by=actor,
            created_at=now or timezone.now(),
        )
        audit.record(
            "api.token_issued",
            actor=actor,
            organisation=organisation,
            obj=token,
            after={"name": name, "scopes": sorted(scopes), "prefix": prefix},
            now=now,
        )
    return token, secret


def revoke_token(token: ApiToken, *, actor: User | None, now: dt.datetime | None = None) -> None:
    with transaction.atomic():
        token.revoked_at = now or timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            "api.token_revoked", actor=actor, organisation=token.organisation, obj=token, now=now
        )


class TokenUser:
    """Stands in for a person when a request is authenticated by an API token."""

    is_authenticated = True
    is_active = True
    is_anonymous = False
    pk = None

    def __init__(self, token: ApiToken) -> None:
        self.token = token
        roles: set[str] = set()
        for scope in token.scopes:
            roles |= SCOPE_ROLES.get(scope, set())
        self._roles_cache = {token.organisation_id: roles}

    def get_username(self) -> str:
        return f"token:{self.token.prefix}"


def find_token(secret: str) -> ApiToken | None:
    parts = secret.split("_")
    if len(parts) < 3 or parts[0] != "bnd":
        return None
    token = ApiToken.objects.select_related("organisation").filter(prefix=parts[1]).first()
    if token is None or token.revoked_at is not None:
        return None
    if not secrets.compare_digest(token.token_hash, _digest(secret)):
        return None
    return token


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = find_token(token)
        if found is None:
            return None
        request.user = TokenUser(found)  # type: ignore[assignment]
        return request.user
