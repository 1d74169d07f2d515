"""Secrets handed over as files by a secrets manager (ASVS V13.3.1, V13.3.2): systemd's
credentials directory, `X_FILE`, or the variable itself, one of them only, and never a file
other accounts may read."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

import pytest

from boundaries.security import credentials
from tests.security.production import run_in_production

SHOW = (
    "from django.conf import settings; import json; print(json.dumps({"
    "'secret_key': settings.SECRET_KEY, 'field_key': settings.FIELD_ENCRYPTION_KEY, "
    "'old_keys': settings.FIELD_ENCRYPTION_OLD_KEYS, "
    "'db_password': settings.DATABASES['default']['PASSWORD'], "
    "'db_user': settings.DATABASES['default']['USER'], "
    "'smtp_password': settings.MAILERS['default']['OPTIONS']['password']}))"
)


def _secret_file(path: Path, value: str, mode: int = 0o400) -> Path:
    path.write_text(value + "\n")
    path.chmod(mode)
    return path


def _credentials_directory(tmp_path: Path, **values: str) -> Path:
    directory = tmp_path / "credentials"
    directory.mkdir()
    for name, value in values.items():
        _secret_file(directory / name, value)
    return directory


def test_production_starts_with_every_secret_from_systemd_credentials(tmp_path: Path) -> None:
    values = {
        "secret_key": secrets.token_urlsafe(64),
        "field_encryption_key": secrets.token_urlsafe(32),
        "field_encryption_old_keys": "first-old-key\nsecond-old-key",
        "database_password": "correct horse",
        "email_host_password": "smtp secret",
    }
    result = run_in_production(
        tmp_path,
        SHOW,
        SECRET_KEY="",
        FIELD_ENCRYPTION_KEY="",
        CREDENTIALS_DIRECTORY=str(_credentials_directory(tmp_path, **values)),
        DATABASE_URL="postgres://boundaries_app:wrong@db.internal:5432/boundaries",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen == {
        "secret_key": values["secret_key"],
        "field_key": values["field_encryption_key"],
        "old_keys": ["first-old-key", "second-old-key"],
        "db_password": "correct horse",
        "db_user": "boundaries_app",
        "smtp_password": "smtp secret",
    }


def test_production_reads_a_secret_from_the_file_its_variable_names(tmp_path: Path) -> None:
    key = secrets.token_urlsafe(64)
    key_file = _secret_file(tmp_path / "key", key, 0o640)
    result = run_in_production(tmp_path, SHOW, SECRET_KEY="", SECRET_KEY_FILE=str(key_file))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["secret_key"] == key


def test_a_secret_given_twice_stops_the_start_naming_both_places(tmp_path: Path) -> None:
    key_file = _secret_file(tmp_path / "key", secrets.token_urlsafe(64))
    result = run_in_production(tmp_path, SHOW, SECRET_KEY_FILE=str(key_file))
    assert result.returncode != 0
    assert "SECRET_KEY is given by SECRET_KEY and SECRET_KEY_FILE" in result.stderr
    assert "ImproperlyConfigured" in result.stderr


def test_a_secret_file_others_may_read_stops_the_start(tmp_path: Path) -> None:
    key_file = _secret_file(tmp_path / "key", secrets.token_urlsafe(32), 0o644)
    result = run_in_production(
        tmp_path, SHOW, FIELD_ENCRYPTION_KEY="", FIELD_ENCRYPTION_KEY_FILE=str(key_file)
    )
    assert result.returncode != 0
    assert f"FIELD_ENCRYPTION_KEY_FILE: {key_file} has mode 0644" in result.stderr


def test_a_missing_secret_file_stops_the_start(tmp_path: Path) -> None:
    result = run_in_production(tmp_path, SHOW, EMAIL_HOST_PASSWORD_FILE=str(tmp_path / "not-there"))
    assert result.returncode != 0
    assert f"EMAIL_HOST_PASSWORD_FILE: {tmp_path / 'not-there'} does not exist" in result.stderr


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o400, 0o440])
def test_modes_for_the_owner_and_its_group_are_accepted(tmp_path: Path, mode: int) -> None:
    path = _secret_file(tmp_path / "password", "s3cret", mode)
    assert credentials.secret("EMAIL_HOST_PASSWORD", {"EMAIL_HOST_PASSWORD_FILE": str(path)}) == (
        "s3cret"
    )


@pytest.mark.parametrize("mode", [0o644, 0o604, 0o660, 0o700])
def test_modes_that_let_others_read_or_the_group_write_are_refused(
    tmp_path: Path, mode: int
) -> None:
    path = _secret_file(tmp_path / "password", "s3cret", mode)
    with pytest.raises(credentials.SecretError, match=f"has mode {mode:04o}"):
        credentials.secret("EMAIL_HOST_PASSWORD", {"EMAIL_HOST_PASSWORD_FILE": str(path)})


def test_a_credential_and_the_variable_together_are_refused(tmp_path: Path) -> None:
    directory = _credentials_directory(tmp_path, database_url="sqlite:///x")
    environ = {"CREDENTIALS_DIRECTORY": str(directory), "DATABASE_URL": "sqlite:///y"}
    with pytest.raises(
        credentials.SecretError,
        match=r"DATABASE_URL is given by DATABASE_URL and \$CREDENTIALS_DIRECTORY/database_url",
    ):
        credentials.secret("DATABASE_URL", environ)


def test_an_empty_file_a_folder_and_an_unreadable_file_are_refused(tmp_path: Path) -> None:
    empty = _secret_file(tmp_path / "empty", "")
    with pytest.raises(credentials.SecretError, match="is empty"):
        credentials.secret("SECRET_KEY", {"SECRET_KEY_FILE": str(empty)})
    folder = tmp_path / "folder"
    folder.mkdir(mode=0o700)
    with pytest.raises(credentials.SecretError, match="is not a file"):
        credentials.secret("SECRET_KEY", {"SECRET_KEY_FILE": str(folder)})
    if os.geteuid() == 0:
        return  # root reads any file: the refusal below needs an ordinary account
    unreadable = _secret_file(tmp_path / "unreadable", "s3cret", 0o200)
    with pytest.raises(credentials.SecretError, match="cannot read"):
        credentials.secret("SECRET_KEY", {"SECRET_KEY_FILE": str(unreadable)})


def test_without_a_file_or_credential_the_variable_is_used_as_before() -> None:
    assert credentials.secret("SECRET_KEY", {"SECRET_KEY": "from the environment"}) == (
        "from the environment"
    )
    assert credentials.secret("SECRET_KEY", {"CREDENTIALS_DIRECTORY": "/nonexistent"}) is None
    assert credentials.secret("SECRET_KEY", {"SECRET_KEY_FILE": ""}) is None
