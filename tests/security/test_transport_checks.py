"""`check --deploy` fails when production would send email or database traffic across
the network in clear (ASVS V12.3.1): production settings, in a real process."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from boundaries.security.deploy_checks import on_loopback
from tests.security.production import run_in_production

CHECK = (
    "import django; django.setup(); from django.core.management import call_command; "
    "call_command('check', deploy=True, fail_level='WARNING')"
)


def _check_deploy(tmp_path: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    return run_in_production(tmp_path, CHECK, **variables)


@pytest.mark.parametrize(
    ("variables", "error"),
    [
        ({"EMAIL_HOST": "smtp.office365.com", "EMAIL_PORT": "587"}, "boundaries.E102"),
        (
            {"EMAIL_HOST": "smtp.example", "EMAIL_USE_TLS": "true", "EMAIL_USE_SSL": "true"},
            "boundaries.E101",
        ),
        ({"DATABASE_URL": "postgres://b@db.internal:5432/b"}, "boundaries.E103"),
        ({"DATABASE_URL": "postgres://b@db.internal/b?sslmode=prefer"}, "boundaries.E103"),
        ({"DATABASE_URL": "postgres://b@10.0.0.4/b?sslmode=allow"}, "boundaries.E103"),
    ],
    ids=["smtp-in-clear", "smtp-both", "pg-unset", "pg-prefer", "pg-allow"],
)
def test_clear_connections_across_the_network_fail_the_deployment_check(
    tmp_path: Path, variables: dict[str, str], error: str
) -> None:
    result = _check_deploy(tmp_path, **variables)
    assert result.returncode != 0
    assert error in result.stderr, result.stderr
    if error == "boundaries.E102":
        assert "SMTP relay smtp.office365.com without TLS" in result.stderr
        assert "EMAIL_USE_TLS=true" in result.stderr and "EMAIL_USE_SSL=true" in result.stderr
    if error == "boundaries.E103":
        assert "is not asked for TLS" in result.stderr and "sslmode=verify-full" in result.stderr


@pytest.mark.parametrize(
    "variables",
    [
        {"EMAIL_HOST": "smtp.office365.com", "EMAIL_PORT": "587", "EMAIL_USE_TLS": "true"},
        {"EMAIL_HOST": "smtp.gmail.com", "EMAIL_PORT": "465", "EMAIL_USE_SSL": "true"},
        {"EMAIL_HOST": "localhost"},  # a relay on this machine (the default)
        {"EMAIL_HOST": "127.0.0.1"},
        {"DATABASE_URL": "postgres://b@db.internal:5432/b?sslmode=require"},
        {"DATABASE_URL": "postgres://b@db.internal:5432/b?sslmode=verify-full"},
        {"DATABASE_URL": "postgres://b@127.0.0.1:5432/b"},
        {"DATABASE_URL": "postgres://b@%2Fvar%2Frun%2Fpostgresql/b"},  # a Unix socket
    ],
    ids=["starttls", "implicit", "localhost", "loopback", "require", "verify", "pg-lo", "socket"],
)
def test_encrypted_or_loopback_connections_pass(tmp_path: Path, variables: dict[str, str]) -> None:
    result = _check_deploy(tmp_path, **variables)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("localhost", True),
        ("127.0.0.1", True),
        ("127.3.4.5", True),
        ("::1", True),
        ("[::1]", True),
        ("db.internal", False),
        ("10.0.0.4", False),
        ("localhost.evil.example", False),
    ],
)
def test_only_this_machine_counts_as_loopback(host: str, loopback: bool) -> None:
    assert on_loopback(host) is loopback
