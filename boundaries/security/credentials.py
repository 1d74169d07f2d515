"""Secrets handed to the service as files, the way secrets managers deliver them.

systemd (`LoadCredential=`, which sets `$CREDENTIALS_DIRECTORY`), Docker and Kubernetes
secrets and Vault Agent all give a service its secrets as files readable by its account
alone, so that they stay out of the process environment (which every child process inherits
and /proc shows) and out of environment files that get copied about (ASVS 5.0 V13.3.1).
For a secret variable `X` the settings accept `X` itself, `X_FILE` naming a file, or the
credential file `$CREDENTIALS_DIRECTORY/x`, and refuse to start when more than one is given
(which was meant would be a guess) or when the file cannot be trusted or read.

Imported by settings.py before Django is set up, so only the standard library here.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from pathlib import Path

# Owner read and write, group read, at most: a secret others may read, or the group change,
# is refused. systemd's credentials are 0400; Docker and Kubernetes need the mode set.
WIDEST_MODE = 0o640


class SecretError(ValueError):
    """A secret that cannot be read safely; the message names the variable and the fix."""


def secret(name: str, environ: Mapping[str, str] = os.environ) -> str | None:
    """The secret `name` from the one place that gives it, or None when nothing does."""
    file_name = environ.get(f"{name}_FILE") or None
    credential = _credential(name, environ)
    places = {
        name: environ.get(name) or None,
        f"{name}_FILE": file_name,
        f"$CREDENTIALS_DIRECTORY/{name.lower()}": credential,
    }
    given = [place for place, value in places.items() if value is not None]
    if len(given) > 1:
        raise SecretError(f"{name} is given by {' and '.join(given)}: give it in one place only")
    if file_name is not None:
        return _read(Path(file_name), f"{name}_FILE")
    if credential is not None:
        return _read(credential, f"$CREDENTIALS_DIRECTORY/{name.lower()}")
    return environ.get(name)


def _credential(name: str, environ: Mapping[str, str]) -> Path | None:
    directory = environ.get("CREDENTIALS_DIRECTORY")
    if not directory:
        return None
    path = Path(directory) / name.lower()
    return path if os.path.lexists(path) else None


def _read(path: Path, where: str) -> str:
    try:
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode):
            raise SecretError(f"{where}: {path} is not a file")
        if stat.S_IMODE(mode) & ~WIDEST_MODE:
            raise SecretError(
                f"{where}: {path} has mode {stat.S_IMODE(mode):04o}, so other accounts may "
                f"read or change it; allow the service's account alone (chmod 600 {path})"
            )
        value = path.read_text(encoding="utf-8").rstrip("\r\n")
    except FileNotFoundError:
        raise SecretError(f"{where}: {path} does not exist") from None
    except PermissionError:
        raise SecretError(f"{where}: this service's account cannot read {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise SecretError(f"{where}: {path} cannot be read ({error})") from None
    if not value:
        raise SecretError(f"{where}: {path} is empty")
    return value
