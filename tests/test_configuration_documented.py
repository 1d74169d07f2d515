"""Every environment variable the settings read is documented (STYLE.md, point 6)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def variables_read() -> set[str]:
    source = (ROOT / "boundaries" / "settings.py").read_text()
    found = set(re.findall(r'env_(?:str|bool|int|list|secret)\(\s*"([A-Z_]+)"', source))
    secrets = re.findall(r'env_secret\(\s*"([A-Z_]+)"', source)  # each also read as X_FILE
    return found | {f"{name}_FILE" for name in secrets}


def test_settings_read_some_variables() -> None:
    assert {"SECRET_KEY", "DATABASE_URL", "BOUNDARIES_ENV"} <= variables_read()


def test_every_variable_is_in_the_configuration_docs() -> None:
    documented = set(
        re.findall(r"^\| `([A-Z_]+)` \|", (ROOT / "docs" / "configuration.md").read_text(), re.M)
    )
    missing = variables_read() - documented
    assert not missing, f"document these in docs/configuration.md: {sorted(missing)}"
    stale = documented - variables_read()
    assert not stale, (
        f"docs/configuration.md lists variables the settings do not read: {sorted(stale)}"
    )


def test_production_refuses_the_development_key() -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; from django.conf import settings; settings.SECRET_KEY",
        ],
        env={
            "DJANGO_SETTINGS_MODULE": "boundaries.settings",
            "BOUNDARIES_ENV": "production",
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_bad_boolean_is_refused_by_name() -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; settings.DEBUG"],
        env={
            "DJANGO_SETTINGS_MODULE": "boundaries.settings",
            "DEBUG": "perhaps",
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert "DEBUG must be true or false" in result.stderr
