"""Backups and restores of the whole application state: the database (the audit chain
with it) and uploaded files, in one archive with a manifest of checksums.

SQLite is copied with its online backup API, so a backup taken while people are working is
consistent; PostgreSQL with Debian's `pg_dump`/`pg_restore` (custom format). A restore checks
every checksum before it touches anything, keeps the uploads it replaces beside the new ones,
and verifies the audit chain against the head recorded at backup time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection

from boundaries.core import audit
from boundaries.core.models import AuditHead

FORMAT = 1
MANIFEST = "manifest.json"
DB_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why."""


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    database: str
    files: int
    audit_events: int
    audit_intact: bool


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _vendor() -> str:
    if connection.vendor not in DB_MEMBER:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {connection.vendor}")
    return connection.vendor


def _pg_args() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    args = ["--dbname", str(db["NAME"])]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    tool = shutil.which(command[0])
    if tool is None:
        raise BackupError(
            f"{command[0]} is not installed (Debian: apt-get install postgresql-client)"
        )
    # pg_dump/pg_restore found on PATH, with arguments from the settings: no shell, no input.
    result = subprocess.run(  # noqa: S603  # nosec B603
        [tool, *command[1:]], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip().splitlines()[-1:]}")


def _dump_database(vendor: str, target: Path) -> None:
    if vendor == "sqlite":
        source = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]))
        copy = sqlite3.connect(str(target))
        try:
            with copy:
                source.backup(copy)
        finally:
            copy.close()
            source.close()
        return
    args, env = _pg_args()
    _run(
        [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            *args,
            "--file",
            str(target),
        ],
        env,
    )


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def backup(dest: Path, *, now: dt.datetime | None = None) -> BackupSummary:
    """Write one archive holding the database, the uploads and a manifest."""
    vendor = _vendor()
    if dest.exists():
        raise BackupError(f"{dest} already exists: choose a new name")
    head = AuditHead.objects.filter(pk=1).values_list("last_seq", "last_hash").first() or (
        0,
        audit.GENESIS,
    )
    chain = audit.verify()
    with tempfile.TemporaryDirectory() as work:
        db_file = Path(work) / DB_MEMBER[vendor]
        _dump_database(vendor, db_file)
        media_root = Path(settings.MEDIA_ROOT)
        media = _media_files()
        checksums = {DB_MEMBER[vendor]: _sha256(db_file)}
        for path in media:
            checksums[f"media/{path.relative_to(media_root).as_posix()}"] = _sha256(path)
        manifest = {
            "format": FORMAT,
            "created_at": (now or dt.datetime.now(dt.UTC)).isoformat(),
            "database": vendor,
            "audit": {"last_seq": head[0], "last_hash": head[1], "intact": chain.intact},
            "checksums": checksums,
        }
        partial = dest.with_name(dest.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            body = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(body)
            archive.addfile(info, io.BytesIO(body))
            archive.add(db_file, arcname=DB_MEMBER[vendor])
            for path in media:
                archive.add(path, arcname=f"media/{path.relative_to(media_root).as_posix()}")
        os.chmod(partial, 0o600)
        partial.replace(dest)
    return BackupSummary(dest, vendor, len(media), head[0], chain.intact)


def read_manifest(src: Path) -> dict[str, Any]:
    try:
        with tarfile.open(src, "r:gz") as archive:
            member = archive.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            manifest: dict[str, Any] = json.loads(member.read())
    except (OSError, tarfile.TarError, KeyError, json.JSONDecodeError) as error:
        raise BackupError(f"{src} is not a Boundaries backup: {error}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{src} has backup format {manifest.get('format')}, expected {FORMAT}")
    return manifest


def _unpack_and_check(src: Path, work: Path, manifest: dict[str, Any]) -> None:
    with tarfile.open(src, "r:gz") as archive:
        archive.extractall(work, filter="data")
    for name, expected in manifest["checksums"].items():
        path = work / name
        if not path.is_file():
            raise BackupError(f"the backup is damaged: {name} is missing")
        if _sha256(path) != expected:
            raise BackupError(f"the backup is damaged: {name} differs from its checksum")


def _restore_database(vendor: str, dump: Path) -> None:
    connection.close()
    if vendor == "sqlite":
        source = sqlite3.connect(str(dump))
        target = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]))
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
        return
    args, env = _pg_args()
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            *args,
            str(dump),
        ],
        env,
    )


def _restore_media(unpacked: Path, stamp: str) -> Path | None:
    """Swap the uploads folder for the backup's; answers where the old one was kept."""
    media_root = Path(settings.MEDIA_ROOT)
    kept = None
    if media_root.exists() and any(media_root.iterdir()):
        kept = media_root.with_name(f"{media_root.name}.before-restore-{stamp}")
        media_root.rename(kept)
    elif media_root.exists():
        media_root.rmdir()
    source = unpacked / "media"
    if source.is_dir():
        shutil.move(str(source), str(media_root))
    else:
        media_root.mkdir(parents=True)
    return kept


@dataclass(frozen=True)
class RestoreSummary:
    database: str
    files: int
    audit: audit.ChainReport
    head_matches: bool
    previous_uploads: Path | None
    secrets_open: bool = True
    secrets: str = ""


def _check_sealed_secrets() -> tuple[bool, str]:
    """Whether the restored second-factor and provider secrets open with the configured
    keys: a backup restored without the key it was made under is usable for everything
    else, and the person restoring it should hear at once which key it needs."""
    from boundaries.security.actions import reseal_secrets
    from boundaries.security.encryption import EncryptionKeyError

    try:
        report = reseal_secrets(dry_run=True)
    except EncryptionKeyError as error:
        return False, str(error)
    except DatabaseError:
        return True, "not checked: run `boundaries migrate` first (the backup is older)"
    total = report.resealed + report.already_current
    return True, f"{total} open with the configured keys"


def restore(src: Path, *, now: dt.datetime | None = None) -> RestoreSummary:
    """Replace the database and uploads with the backup's, after checking every checksum."""
    vendor = _vendor()
    manifest = read_manifest(src)
    if manifest["database"] != vendor:
        raise BackupError(
            f"the backup is of a {manifest['database']} database; this one is {vendor}"
        )
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%S")
    with tempfile.TemporaryDirectory() as work_dir:
        work = Path(work_dir)
        _unpack_and_check(src, work, manifest)
        _restore_database(vendor, work / DB_MEMBER[vendor])
        kept = _restore_media(work, stamp)
    head = AuditHead.objects.filter(pk=1).values_list("last_seq", "last_hash").first()
    expected = (manifest["audit"]["last_seq"], manifest["audit"]["last_hash"])
    files = sum(1 for name in manifest["checksums"] if name.startswith("media/"))
    secrets_open, secrets = _check_sealed_secrets()
    return RestoreSummary(
        vendor,
        files,
        audit.verify(),
        (head or (0, audit.GENESIS)) == expected,
        kept,
        secrets_open,
        secrets,
    )
