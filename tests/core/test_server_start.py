"""`boundaries serve` queries the database before gunicorn forks its workers (the banner
lists the demo accounts). A connection left open there is inherited by every worker, which
then share one socket: on PostgreSQL their answers interleave and pages fail under load."""

from __future__ import annotations

import gc
from typing import Any

import pytest
from django.db import connection, connections

from boundaries.cli import server
from tests.cast import Cast


@pytest.mark.django_db(transaction=True)
def test_gunicorn_forks_its_workers_with_no_database_connection_open(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor == "sqlite":
        pytest.skip("the test database is SQLite in memory, which Django never closes")
    from gunicorn.app.base import BaseApplication

    open_at_fork: list[str] = []

    def run(self: Any) -> None:
        open_at_fork.extend(a for a in connections if connections[a].connection is not None)

    monkeypatch.setattr(BaseApplication, "run", run)
    monkeypatch.setattr("boundaries.cli.django_setup", lambda: None)
    monkeypatch.setattr("django.core.management.call_command", lambda *a, **k: None)
    server.serve(host="127.0.0.1", port=0, workers=2)
    assert open_at_fork == []


def test_gunicorn_forks_its_workers_with_the_loaded_application_frozen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from gunicorn.app.base import BaseApplication

    frozen_at_fork: list[int] = []
    monkeypatch.setattr(
        BaseApplication, "run", lambda self: frozen_at_fork.append(gc.get_freeze_count())
    )
    monkeypatch.setattr("boundaries.cli.django_setup", lambda: None)
    monkeypatch.setattr("django.core.management.call_command", lambda *a, **k: None)
    monkeypatch.setattr(server, "_banner", lambda *a: None)
    gc.unfreeze()
    try:
        server.serve(host="127.0.0.1", port=0, workers=2)
    finally:
        gc.unfreeze()
    assert frozen_at_fork and frozen_at_fork[0] > 10_000
