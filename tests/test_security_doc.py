"""docs/security.md says what the code does: its settings, limits, roles, audit events,
context words, log destinations and files are checked against the code, so the document
cannot drift silently (ASVS V2.1, V5.1.1, V6.1, V7.1, V8.1, V11.1, V13.1, V14.1, V15.1,
V16.1)."""

from __future__ import annotations

import importlib
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from boundaries.core.permissions import FROM_UMBRELLA, SAME_ORG
from boundaries.core.roles import Role
from boundaries.security import passwords

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "security.md"
# `module.NAME` = value, or `settings.NAME` = value: a limit the document states.
STATED = re.compile(r"`((?:[a-z_]+\.)+)(_?[A-Z][A-Z_]+)` = (\w+)(?: (bytes|KB|MB|GB|seconds))?")
UNITS = {None: 1, "bytes": 1, "seconds": 1, "KB": 1 << 10, "MB": 1 << 20, "GB": 1 << 30}


@cache
def text() -> str:
    return DOC.read_text()


def section(title: str) -> str:
    return text().split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def stated_limits() -> list[tuple[str, str, str, str | None]]:
    return [(m[1].rstrip("."), m[2], m[3], m[4]) for m in STATED.finditer(text())]


def _value(module: str, name: str) -> object:
    if module == "settings":
        return getattr(settings, name)
    return getattr(importlib.import_module(module), name)


def test_the_document_states_limits() -> None:
    assert len(stated_limits()) >= 15


@pytest.mark.parametrize(("module", "name", "value", "unit"), stated_limits(), ids=lambda v: str(v))
def test_every_stated_limit_is_the_one_in_the_code(
    module: str, name: str, value: str, unit: str | None
) -> None:
    actual = _value(module, name)
    if isinstance(actual, tuple):  # a list of words
        assert value in actual
        return
    expected = int(value) * UNITS[unit]
    assert actual == expected, f"docs/security.md says {module}.{name} is {value} {unit or ''}"


def test_every_setting_and_variable_named_exists() -> None:
    """Every `UPPER_CASE` word is a Django setting or a documented environment variable."""
    documented = set(
        re.findall(r"^\| `([A-Z_]+)` \|", (ROOT / "docs" / "configuration.md").read_text(), re.M)
    )
    named = set(re.findall(r"`(?:settings\.)?([A-Z][A-Z_]{3,})`", text()))
    not_settings = {"SAME_ORG", "FROM_UMBRELLA"}  # the permission table's two halves
    missing = [
        name
        for name in sorted(named - not_settings)
        if not hasattr(settings, name) and name not in documented
    ]
    assert not missing, missing
    assert not hasattr(settings, "SECRET_KEY_FALLBACKS") or not settings.SECRET_KEY_FALLBACKS
    assert {"SAME_ORG", "FROM_UMBRELLA"} <= named and SAME_ORG and FROM_UMBRELLA


def test_every_file_named_exists() -> None:
    paths = set(re.findall(r"`((?:boundaries|engines|requirements|docs)/[\w./-]+)`", text()))
    paths |= {f"docs/{p}" for p in re.findall(r"\]\(((?:decisions/)?[\w.-]+\.md)\)", text())}
    missing = sorted(p for p in paths if not (ROOT / p).exists())
    assert len(paths) >= 8 and not missing, missing


def test_every_role_is_described() -> None:
    roles = section("Who may do what")
    assert all(f"{role.value}" in roles for role in Role), [r.value for r in Role]


@pytest.mark.mfa_required
def test_the_context_words_are_the_validators() -> None:
    signing_in = section("Signing in")
    assert all(f"= {word}" in signing_in for word in passwords.PRODUCT_WORDS)
    assert f"`boundaries.security.passwords.SHORTEST_TERM` = {passwords.SHORTEST_TERM}" in (
        signing_in
    )
    assert "ContextWordsValidator" in str(settings.AUTH_PASSWORD_VALIDATORS)
    real = [h for h in settings.PASSWORD_HASHERS if "MD5" not in h]  # the tests' quick one
    assert real[0].endswith("Argon2PasswordHasher")
    assert {"headteacher", "dsl", "hr", "line_manager", "authority_admin"} == set(
        settings.MFA_REQUIRED_ROLES
    )


def _recorded_actions() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "boundaries").rglob("*.py"):
        source = path.read_text()
        found |= set(re.findall(r'record\(\s*"([a-z_]+\.[a-z_]+)"', source))
        found |= set(re.findall(r'_factor_changed\(\s*"([a-z_]+\.[a-z_]+)"', source))
    return found


def test_every_audit_event_listed_is_recorded_somewhere() -> None:
    events = section("Logging").split("Every security event the audit log records", 1)[1]
    listed = set(re.findall(r"`([a-z_]+\.[a-z_]+)`", events))
    assert len(listed) >= 15
    missing = sorted(listed - _recorded_actions())
    assert not missing, f"docs/security.md lists audit events nothing records: {missing}"


def test_every_security_event_the_code_records_is_listed() -> None:
    events = section("Logging").split("Every security event the audit log records", 1)[1]
    listed = set(re.findall(r"`([a-z_]+\.[a-z_]+)`", events))
    recorded = {a for a in _recorded_actions() if a.startswith("security.")}
    unlisted = sorted(recorded - listed)
    assert not unlisted, f"docs/security.md does not list these security events: {unlisted}"


def test_logs_go_only_where_the_document_says() -> None:
    logging_section = section("Logging")
    config: dict[str, Any] = settings.LOGGING
    handlers = config["handlers"]
    assert list(handlers) == ["console"] and "one handler, `console`" in logging_section
    assert handlers["console"]["class"] == "boundaries.core.logs.CurrentStderr"
    assert "standard error" in logging_section
    assert config["root"]["handlers"] == ["console"]


def test_the_outbound_destinations_are_the_settings_that_configure_them() -> None:
    outbound = section("Outbound connections")
    for name in ("DATABASE_URL", "EMAIL_HOST", "EMAIL_USE_TLS", "EMAIL_USE_SSL"):
        assert f"`{name}`" in outbound
    assert "`OIDC_PRIVATE_ISSUER_HOSTS`" in outbound
    assert settings.OIDC_PRIVATE_ISSUER_HOSTS == []  # nothing private is allowed by default
