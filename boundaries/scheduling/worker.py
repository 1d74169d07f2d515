"""The worker's loop: run each job of the schedule once per slot, across any number of
workers sharing one database.

A worker wakes at the start of every slot (or every `poll_seconds`), and for each job whose
current slot it has not yet looked at, claims the slot (`actions.claim`) and runs the job,
or, when another worker holds the claim, reports that and moves on. A failed job is
recorded and does not stop the others; it runs again in its next slot. A stop request is
honoured between jobs, so a job that has started always finishes.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import DatabaseError, close_old_connections, connections
from django.utils import timezone

from boundaries.scheduling import actions
from boundaries.scheduling.models import RunOutcome, ScheduledRun
from boundaries.scheduling.schedule import JOBS, Job, next_slot

logger = logging.getLogger(__name__)

SKIPPED = "skipped"


@dataclass(frozen=True)
class RunReport:
    job: str
    slot: dt.datetime
    outcome: str  # done, failed, or skipped when another worker holds the slot
    worker: str  # the worker that ran it (this one, unless skipped)
    summary: str = ""
    seconds: float = 0.0

    def line(self) -> str:
        slot = f"{self.slot.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC"
        if self.outcome == SKIPPED:
            return f"{slot} {self.job}: already claimed by {self.worker}, skipped"
        return f"{slot} {self.job}: {self.outcome} in {self.seconds:.1f} s: {self.summary}"


def run_due(
    now: dt.datetime,
    *,
    worker: str,
    jobs: tuple[Job, ...] = JOBS,
    seen: set[tuple[str, dt.datetime]] | None = None,
    stop: Callable[[], bool] = lambda: False,
) -> Iterator[RunReport]:
    """Claim and run every job whose current slot this worker has not looked at yet,
    yielding one report per job as it ends. `seen` carries what was looked at between calls."""
    seen = set() if seen is None else seen
    for job in jobs:
        if stop():
            return
        slot = job.slot(now)
        if (job.name, slot) in seen:
            continue
        # Looking first keeps the database's log free of a failed insert per poll.
        holder = actions.claimed_by(job.name, slot)
        run = None if holder else actions.claim(job.name, slot, worker=worker, now=now)
        seen.add((job.name, slot))
        if run is None:
            holder = holder or actions.claimed_by(job.name, slot) or "another worker"
            yield RunReport(job.name, slot, SKIPPED, holder)
            continue
        yield _run(job, run, now)


def _run(job: Job, run: ScheduledRun, now: dt.datetime) -> RunReport:
    started = time.monotonic()
    try:
        summary, outcome = job.run(timezone.localdate(now), now), RunOutcome.DONE
    except Exception as error:
        # One job's failure must not stop the others; the next slot runs it again.
        logger.exception("scheduled job %s failed", job.name)
        summary, outcome = f"{type(error).__name__}: {error}", RunOutcome.FAILED
    seconds = time.monotonic() - started
    actions.finish(run, outcome=outcome, summary=summary, now=now + dt.timedelta(seconds=seconds))
    return RunReport(job.name, run.slot, outcome, run.worker, summary, seconds)


def run_forever(
    *,
    worker: str,
    stop: threading.Event,
    report: Callable[[RunReport], None],
    jobs: tuple[Job, ...] = JOBS,
    poll_seconds: float = 60.0,
    clock: Callable[[], dt.datetime] = timezone.now,
) -> None:
    """Until `stop` is set: run what is due, then sleep until the next slot begins (at most
    `poll_seconds`). A database that cannot be reached is reported and tried again."""
    seen: set[tuple[str, dt.datetime]] = set()
    try:
        while not stop.is_set():
            close_old_connections()
            now = clock()
            try:
                for result in run_due(now, worker=worker, jobs=jobs, seen=seen, stop=stop.is_set):
                    report(result)
            except DatabaseError as error:
                logger.warning("database error, trying again in %.0f s: %s", poll_seconds, error)
                stop.wait(poll_seconds)
                continue
            seen &= {(job.name, job.slot(now)) for job in jobs}  # forget slots that have passed
            now = clock()
            wait = (next_slot(jobs, now) - now).total_seconds()
            stop.wait(min(max(wait, 0.0) + 0.05, poll_seconds))
    finally:
        connections.close_all()  # a stopped worker leaves no session open on the server
