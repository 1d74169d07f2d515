"""Keyed hashes for what must be looked up but never stored as typed."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings


def keyed_hash(purpose: str, value: str) -> str:
    """HMAC-SHA256 under the secret key, so a copy of the table alone reveals nothing."""
    key = hashlib.sha256(f"boundaries.security.{purpose}:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()
