from __future__ import annotations

import pytest

from tests.cast import Cast, make_cast


@pytest.fixture
def cast(db: None) -> Cast:
    return make_cast()


@pytest.fixture(autouse=True)
def _quick_password_hashing(settings, request) -> None:  # type: ignore[no-untyped-def]
    """Argon2 is deliberately slow; tests that are not about hashing use a quick hasher."""
    if "real_hashing" not in request.keywords:
        settings.PASSWORD_HASHERS = [
            "django.contrib.auth.hashers.MD5PasswordHasher",
            *settings.PASSWORD_HASHERS,
        ]


@pytest.fixture(autouse=True)
def _second_factor_off_for_the_cast(settings, request) -> None:  # type: ignore[no-untyped-def]
    """The cast signs in with passwords alone unless a test is marked `mfa_required`;
    tests/security/ turn the requirement on (see docs/decisions/0008)."""
    if "mfa_required" not in request.keywords:
        settings.MFA_REQUIRED_ROLES = []
