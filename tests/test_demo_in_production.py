"""`boundaries demo` adds accounts with a published password, so production refuses it
unless told plainly (ASVS V15.2.3). Run as a person runs it: a real process."""

from __future__ import annotations

import os
import secrets
import sqlite3
import subprocess
import sys
from pathlib import Path


def run(*args: str, tmp_path: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "boundaries.cli", *args],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "BOUNDARIES_DATA_DIR": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
            **env,
        },
        check=False,
        timeout=300,
    )


def _production(tmp_path: Path) -> dict[str, str]:
    return {
        "BOUNDARIES_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "FIELD_ENCRYPTION_KEY": secrets.token_urlsafe(32),
        "ALLOWED_HOSTS": "boundaries.example",
        "SITE_URL": "https://boundaries.example",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",  # no relay here
    }


def _people(tmp_path: Path) -> int:
    with sqlite3.connect(tmp_path / "db.sqlite3") as db:
        return int(db.execute("SELECT count(*) FROM core_user").fetchone()[0])


def test_the_demo_refuses_to_run_in_production(tmp_path: Path) -> None:
    env = _production(tmp_path)
    assert run("migrate", tmp_path=tmp_path, env=env).returncode == 0
    result = run("demo", tmp_path=tmp_path, env=env)
    assert result.returncode == 1
    assert result.stderr.startswith("error: BOUNDARIES_ENV is production")
    assert "--i-know-this-is-production" in result.stderr and "Traceback" not in result.stderr
    assert _people(tmp_path) == 0


def test_the_demo_runs_in_production_only_when_told_plainly(tmp_path: Path) -> None:
    env = _production(tmp_path)
    assert run("migrate", tmp_path=tmp_path, env=env).returncode == 0
    result = run("demo", "--i-know-this-is-production", tmp_path=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert "Demo created" in result.stdout and _people(tmp_path) > 0
