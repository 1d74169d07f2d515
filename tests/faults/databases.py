"""The databases the fault tests break: a SQLite file, a database on a PostgreSQL server, and
a private PostgreSQL cluster that a test may stop with `pg_ctl stop -m immediate`.

The test reads them with the plain drivers (sqlite3, psycopg), never through Django: what
it counts is what any other program opening the database would see after the crash.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

PG_BIN = Path("/usr/lib/postgresql/15/bin")


@dataclass(frozen=True)
class ImportState:
    """What the database holds for one school after a run, crashed or not."""

    pupils: int
    distinct_mis_ids: int
    imports: list[dict[str, Any]]  # the `after` of each roster.pupils_imported event


@dataclass
class Database:
    url: str

    @property
    def is_postgres(self) -> bool:
        return self.url.startswith("postgres")

    @contextlib.contextmanager
    def _cursor(self) -> Iterator[Any]:
        if self.is_postgres:
            with psycopg.connect(self.url, autocommit=True) as db, db.cursor() as cursor:
                yield cursor
        else:
            db = sqlite3.connect(self.url.removeprefix("sqlite:///"), timeout=30)
            try:
                yield db.cursor()
                db.commit()
            finally:
                db.close()

    def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        if not self.is_postgres:
            sql = sql.replace("%s", "?")
        with self._cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall()) if cursor.description else []

    def state(self, school: str) -> ImportState:
        org = self.school_id(school)
        pupils, distinct = self.rows(
            "SELECT COUNT(*), COUNT(DISTINCT mis_id) FROM roster_pupil WHERE organisation_id = %s",
            org,
        )[0]
        events = self.rows(
            "SELECT after FROM core_auditevent WHERE action = 'roster.pupils_imported' "
            "AND organisation_id = %s ORDER BY seq",
            org,
        )
        imports = [e if isinstance(e, dict) else json.loads(e) for (e,) in events]
        return ImportState(pupils, distinct, imports)

    def school_id(self, school: str) -> int:
        return int(self.rows("SELECT id FROM core_organisation WHERE slug = %s", school)[0][0])

    def forget_pupils(self, school: str) -> None:
        """Empty the school's roster (its import events stay: the audit log is append-only),
        so that the next kill lands in a first import again."""
        self.rows("DELETE FROM roster_pupil WHERE organisation_id = %s", self.school_id(school))

    def settle(self, timeout: float = 60) -> float:
        """Wait until no other session is connected to this database; return the seconds waited.

        A killed client's server process lives on until it notices the closed socket: a
        COMMIT it had already sent still completes. Counting before then would be counting
        a moment, not the outcome.
        """
        if not self.is_postgres:
            return 0.0
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            others = self.rows(
                "SELECT COUNT(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )[0][0]
            if others == 0:
                return time.monotonic() - started
            time.sleep(0.05)
        raise AssertionError(f"a killed import's session was still open after {timeout} s")


@contextlib.contextmanager
def postgres_database(server: str, name: str) -> Iterator[Database]:
    """A fresh database on a PostgreSQL server (`server` is a URL without the database)."""
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield Database(f"{server}/{name}")
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PrivateCluster:
    """A PostgreSQL 15 cluster of our own in a temporary directory, on a free port.

    Never the shared server on 5432: other tests use it. As root, the cluster runs as the
    `postgres` account (initdb refuses root), in a directory that account owns.
    """

    def __init__(self) -> None:
        self.port = _free_port()
        self.root = Path(tempfile.mkdtemp(prefix="boundaries-faults-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self._as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self._as:
            shutil.chown(self.root, "postgres", "postgres")

    @staticmethod
    def available() -> str | None:
        """Why the cluster cannot run here, or None."""
        if not (PG_BIN / "initdb").exists():
            return f"Debian's PostgreSQL 15 server is not installed ({PG_BIN}/initdb)"
        if os.geteuid() == 0 and not shutil.which("runuser"):
            return "running as root without runuser to start PostgreSQL as postgres"
        return None

    @property
    def server(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self._as, *args], capture_output=True, text=True, check=True, timeout=120
        )

    def init(self) -> None:
        self._run(
            str(PG_BIN / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--no-instructions",
        )
        self.start()

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
        pg_ctl = str(PG_BIN / "pg_ctl")
        self._run(pg_ctl, "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def running(self) -> bool:
        status = subprocess.run(
            [*self._as, str(PG_BIN / "pg_ctl"), "-D", str(self.data), "status"],
            capture_output=True,
            check=False,
        )
        return status.returncode == 0

    def remove(self) -> None:
        if self.data.exists() and self.running():
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)
