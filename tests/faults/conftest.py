"""The databases the fault tests break: one of the kind the suite runs on, and the
private PostgreSQL cluster the slow tests share (and one of them stops)."""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.databases import Database, PrivateCluster, postgres_database


@pytest.fixture
def suite_database(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Database]:
    """A new database of the kind the suite runs on: SQLite, or PostgreSQL via DATABASE_URL
    (a database of its own on that server, named for the process and the test)."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        server = url.rsplit("/", 1)[0]
        name = f"boundaries_faults_{os.getpid()}_{zlib.crc32(request.node.nodeid.encode())}"
        with postgres_database(server, name) as db:
            yield db
    else:
        yield Database(f"sqlite:///{tmp_path}/faults.sqlite3")


@pytest.fixture(scope="session")
def cluster() -> Iterator[PrivateCluster]:
    reason = PrivateCluster.available()
    if reason:
        pytest.skip(reason)
    private = PrivateCluster()
    try:
        private.init()
        yield private
    finally:
        private.remove()
