"""Running code under the production settings, in a process of its own (settings are read
once, at import)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path


def run_in_production(
    tmp_path: Path, code: str, **variables: str
) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "boundaries.settings",
        "BOUNDARIES_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "FIELD_ENCRYPTION_KEY": secrets.token_urlsafe(32),
        "ALLOWED_HOSTS": "boundaries.example",
        "SITE_URL": "https://boundaries.example",
        "BOUNDARIES_DATA_DIR": str(tmp_path),
        **variables,
    }
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
