"""Workers as threads racing on the real database (PostgreSQL: see `needs_postgresql`)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection


def race[T](names: list[str], work: Callable[[str, Callable[[], None]], T]) -> dict[str, T]:
    """Run `work(name, go)` in a thread per name and return what each returned. `go()` is the
    start line: every thread waits there until all have reached it, so what a worker does
    before it (reading a row) happens before any of them writes. Each thread closes its own
    database connection."""
    start = threading.Barrier(len(names))
    results: dict[str, T] = {}

    def thread(name: str) -> None:
        try:
            results[name] = work(name, start.wait)
        finally:
            connection.close()

    threads = [threading.Thread(target=thread, args=(name,)) for name in names]
    for each in threads:
        each.start()
    for each in threads:
        each.join(timeout=30)
    assert len(results) == len(names), "a racing worker failed or did not finish"
    return results
