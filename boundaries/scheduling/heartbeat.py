"""Keeping a run's lease while its job runs: a thread that renews it every third of a lease.

The jobs are plain functions with no place to renew a lease, and one may run longer than
the lease; without a heartbeat another worker would presume its worker dead and run the
job a second time beside it. The beats come from a daemon thread with a database connection
of its own, so they neither wait for the job's transactions nor join them. A worker killed
with SIGKILL takes the thread with it: the beats stop, and one lease after the last one
another worker takes the run over (`actions.take_over`).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from types import TracebackType

from django.db import DatabaseError, connections

from boundaries.scheduling import actions
from boundaries.scheduling.models import ScheduledRun

logger = logging.getLogger(__name__)


class Heartbeat:
    """`with Heartbeat(run, clock=..., every=...):` around the job. The thread waits `every`
    seconds, renews the lease at `clock()`, and again, until the block ends (however it
    ends: `__exit__` stops the thread and waits for it) or the run is no longer this
    worker's (another took it over while this one was stalled: it stops, saying so). It
    closes its database connection as it stops."""

    def __init__(
        self, run: ScheduledRun, *, clock: Callable[[], dt.datetime], every: dt.timedelta
    ) -> None:
        self.run = run
        self.clock = clock
        self.every = every.total_seconds()
        self.beats = 0  # leases renewed
        self.lost = False  # the run was taken over by another worker
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"heartbeat {run.job}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop beating and wait until the thread has (a beat under way finishes first)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _beat(self) -> None:
        try:
            while not self._stop.wait(self.every):
                try:
                    renewed = actions.renew(self.run, now=self.clock())
                except DatabaseError as error:
                    # Busy or briefly unreachable: a lease holds three beats, so try again.
                    logger.warning("scheduled job %s: lease not renewed: %s", self.run.job, error)
                    continue
                if not renewed:
                    self.lost = True
                    logger.warning(
                        "scheduled job %s: another worker took the run over; "
                        "its lease is no longer renewed here",
                        self.run.job,
                    )
                    return
                self.beats += 1
        finally:
            connections.close_all()  # this thread's connections only: they are per thread
