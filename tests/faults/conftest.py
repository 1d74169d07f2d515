"""The private PostgreSQL cluster the slow fault tests share (and one of them stops)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.faults.databases import PrivateCluster


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
