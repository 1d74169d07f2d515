"""The restore drill: an export after restoring a backup is identical, byte for byte, to the
export before it, uploads and the audit chain included; a damaged backup is refused; the
second-factor and provider secrets in it are sealed, and open only with the key kept apart."""

from __future__ import annotations

import hashlib
import io
import os
import secrets
import sqlite3
import subprocess
import sys
import tarfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest


def _cli(*args: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "boundaries.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


def _export(env: dict[str, str]) -> str:
    return _cli("manage", "dumpdata", "--indent", "1", "--exclude", "sessions", env=env).stdout


# The key that seals second-factor and provider secrets; kept outside the backup.
FIELD_KEY = secrets.token_urlsafe(32)


def _environment(data_dir: Path, database_url: str, key: str = FIELD_KEY) -> dict[str, str]:
    return {
        **os.environ,
        "BOUNDARIES_DATA_DIR": str(data_dir),
        "DATABASE_URL": database_url,
        "BOUNDARIES_ENV": "development",
        "FIELD_ENCRYPTION_KEY": key,
        "FIELD_ENCRYPTION_OLD_KEYS": "",
    }


def _uploads(data_dir: Path) -> dict[str, str]:
    root = data_dir / "uploads"
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


# A person sets up an authenticator and the school a sign-in service: two sealed secrets.
SEAL_SECRETS = """
from boundaries.core.models import Organisation, User
from boundaries.security import actions
head = User.objects.get(username="head.rivington")
device = actions.start_enrolment(head)
wanted = actions.ProviderSettings(
    "entra", "https://login.example/t/v2.0", "boundaries", ("drill.example",), True, False
)
provider = actions.add_provider(
    Organisation.objects.get(slug="rivington"), wanted, "drill-client-secret-%s", actor=head
)
print(device.secret, provider.client_secret)
"""

READ_SECRETS = """
from boundaries.security.models import SignInProvider, TotpDevice
print(TotpDevice.objects.get().secret, SignInProvider.objects.get().client_secret)
"""


def _build_site(env: dict[str, str], data_dir: Path) -> list[str]:
    """The demo, an upload, and the two secrets in clear (for the tests to look for)."""
    _cli("migrate", env=env)
    _cli("demo", env=env)
    evidence = data_dir / "uploads" / "concerns" / "2026" / "screenshot.png"
    evidence.parent.mkdir(parents=True, exist_ok=True)
    evidence.write_bytes(bytes(range(256)) * 40)
    made = _cli(
        "manage", "shell", "--no-imports", "-c", SEAL_SECRETS % secrets.token_hex(8), env=env
    )
    return made.stdout.split()


def _secrets(env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess[str]:
    return _cli("manage", "shell", "--no-imports", "-c", READ_SECRETS, env=env, check=check)


def _drill(env: dict[str, str], data_dir: Path, archive: Path, change: Callable[[], None]) -> None:
    before, uploads_before = _export(env), _uploads(data_dir)
    made = _cli("backup", str(archive), env=env)
    assert "chain intact" in made.stdout and "1 uploaded files" in made.stdout
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    again = _cli("backup", str(archive), env=env, check=False)
    assert again.returncode == 1 and "already exists" in again.stderr

    # Things go wrong after the backup: a change, a lost upload.
    change()
    (data_dir / "uploads" / "concerns" / "2026" / "screenshot.png").unlink()

    restored = _cli("restore", str(archive), "--yes", env=env)
    assert "Audit chain: intact" in restored.stdout
    assert "Sealed secrets: 2 open with the configured keys" in restored.stdout
    assert _export(env) == before
    assert _uploads(data_dir) == uploads_before


RENAME = "UPDATE core_organisation SET name = 'Renamed' WHERE slug = 'rivington'"


@dataclass
class Site:
    env: dict[str, str]
    data_dir: Path
    archive: Path
    secrets: list[str]


@pytest.fixture(scope="module")
def sqlite_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """A demo site on SQLite with an upload, backed up, damaged and restored (the drill)."""
    tmp = tmp_path_factory.mktemp("drill")
    data_dir = tmp / "data"
    env = _environment(data_dir, f"sqlite:///{data_dir}/boundaries.sqlite3")
    made = _build_site(env, data_dir)

    def change() -> None:
        db = sqlite3.connect(data_dir / "boundaries.sqlite3")
        with db:
            db.execute(RENAME)
        db.close()

    archive = tmp / "boundaries-backup.tar.gz"
    _drill(env, data_dir, archive, change)
    return Site(env, data_dir, archive, made)


def test_a_restored_sqlite_backup_exports_byte_for_byte_the_same(sqlite_site: Site) -> None:
    assert sqlite_site.archive.exists()
    assert len(list(sqlite_site.data_dir.glob("uploads.before-restore-*"))) == 1


def test_a_backup_holds_the_secrets_only_sealed(sqlite_site: Site, tmp_path: Path) -> None:
    with tarfile.open(sqlite_site.archive, "r:gz") as source:
        source.extract("database.sqlite3", tmp_path, filter="data")
    database = (tmp_path / "database.sqlite3").read_bytes()
    assert len(sqlite_site.secrets) == 2 and b"v1:" in database
    for secret in sqlite_site.secrets:
        assert secret.encode() not in database and secret.lower().encode() not in database
    assert FIELD_KEY.encode() not in database


def test_a_backup_restores_onto_a_new_machine(sqlite_site: Site, tmp_path: Path) -> None:
    new = tmp_path / "new"
    new_env = _environment(new, f"sqlite:///{new}/boundaries.sqlite3")
    _cli("restore", str(sqlite_site.archive), "--yes", env=new_env)
    assert _export(new_env) == _export(sqlite_site.env)
    assert _secrets(new_env).stdout.split() == sqlite_site.secrets
    with tarfile.open(sqlite_site.archive, "r:gz") as source:
        source.extract("database.sqlite3", tmp_path, filter="data")
    db = sqlite3.connect(tmp_path / "database.sqlite3")
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    db.close()


def test_a_backup_restored_without_its_key_names_the_key_and_rotates_to_a_new_one(
    sqlite_site: Site, tmp_path: Path
) -> None:
    new = tmp_path / "new"
    url = f"sqlite:///{new}/boundaries.sqlite3"
    other_key = secrets.token_urlsafe(32)
    without = _cli(
        "restore",
        str(sqlite_site.archive),
        "--yes",
        env=_environment(new, url, other_key),
        check=False,
    )
    assert without.returncode == 1
    assert "restored, but the sealed secrets do not open" in without.stderr
    assert "which is not configured" in without.stderr and "FIELD_ENCRYPTION_KEY" in without.stderr
    assert "FIELD_ENCRYPTION_OLD_KEYS" in without.stderr

    rotating = {**_environment(new, url, other_key), "FIELD_ENCRYPTION_OLD_KEYS": FIELD_KEY}
    rotated = _cli("security", "rotate-key", env=rotating)
    assert "2 secrets sealed again" in rotated.stdout
    assert _secrets(_environment(new, url, other_key)).stdout.split() == sqlite_site.secrets
    assert _secrets(_environment(new, url, FIELD_KEY), check=False).returncode != 0


def test_a_damaged_backup_is_refused_before_anything_changes(
    sqlite_site: Site, tmp_path: Path
) -> None:
    damaged = tmp_path / "damaged.tar.gz"
    with (
        tarfile.open(sqlite_site.archive, "r:gz") as source,
        tarfile.open(damaged, "w:gz") as target,
    ):
        for member in source.getmembers():
            body = source.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == "database.sqlite3":
                body = body[:-100] + b"\x00" * 100
            member.size = len(body)
            target.addfile(member, io.BytesIO(body))
    database = sqlite_site.data_dir / "boundaries.sqlite3"
    before = hashlib.sha256(database.read_bytes()).hexdigest()
    refused = _cli("restore", str(damaged), "--yes", env=sqlite_site.env, check=False)
    assert refused.returncode == 1
    assert "database.sqlite3 differs from its checksum" in refused.stderr
    assert hashlib.sha256(database.read_bytes()).hexdigest() == before
    not_ours = tmp_path / "notes.tar.gz"
    not_ours.write_bytes(b"not an archive")
    refused = _cli("restore", str(not_ours), "--yes", env=sqlite_site.env, check=False)
    assert "is not a Boundaries backup" in refused.stderr


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgres") else None


@pytest.mark.skipif(_postgres_url() is None, reason="runs when the suite runs on PostgreSQL")
def test_a_restored_postgresql_backup_exports_byte_for_byte_the_same(tmp_path: Path) -> None:
    import psycopg

    base = _postgres_url()
    assert base is not None
    server, name = base.rsplit("/", 1)[0], f"boundaries_drill_{os.getpid()}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        data_dir = tmp_path / "data"
        env = _environment(data_dir, f"{server}/{name}")
        env["DATABASE_CONN_MAX_AGE"] = "0"
        made = _build_site(env, data_dir)

        def change() -> None:
            with psycopg.connect(f"{server}/{name}", autocommit=True) as db:
                db.execute(RENAME)

        _drill(env, data_dir, tmp_path / "pg-backup.tar.gz", change)
        assert _secrets(env).stdout.split() == made
        with psycopg.connect(f"{server}/{name}", autocommit=True) as db:
            stored = str(db.execute("SELECT * FROM security_totpdevice").fetchall())
            stored += str(db.execute("SELECT * FROM security_signinprovider").fetchall())
        assert not any(secret in stored for secret in made)
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
