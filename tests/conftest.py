from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from typing import Any

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
        settings.MFA_REQUIRED_FOR_EVERYONE = False


@pytest.fixture(autouse=True)
def _loopback_sign_in_service(settings) -> None:  # type: ignore[no-untyped-def]
    """The tests' OpenID provider (tests/security/oidc_provider.py) runs on loopback over
    plain http, which only this setting or DEBUG allows (security/issuers.py)."""
    settings.OIDC_ALLOW_LOOPBACK_HTTP = True


# Playwright driving Debian's chromium against pytest-django's live server, shared by every
# browser test so one browser serves the session. Playwright never downloads a browser:
# `executable_path` is the Debian package that scripts/install-browser.sh installs; without
# it the browser tests skip.
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed: run scripts/install-browser.sh")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=FLAGS, headless=True
        )
        context.set_default_timeout(60_000)  # generous: CI machines can be busy
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    page = browser.new_page()
    try:
        yield page
    finally:
        page.close()
        browser.clear_cookies()
