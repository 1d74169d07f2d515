"""The worker's loop: run each job of the schedule once per slot, across any number of
workers sharing one database.

A worker wakes at the start of every slot (or every `poll_seconds`), and for each job whose
current slot it has not yet looked at, claims the slot (`actions.claim`) and runs the job,
or, when another worker holds the claim, reports that and moves on. While that other worker
is still running the job, the slot is looked at again on every wake-up: a run left
`running` a lease after its last heartbeat (its worker was killed) is taken over by exactly
one worker; while a job runs, its worker renews the lease (`heartbeat.Heartbeat`). A failed
job is recorded and does not stop the others; it runs again in its next slot. A stop
request is honoured between jobs, so a job that has started always finishes.
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
from boundaries.scheduling.heartbeat import Heartbeat
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
    taken_over_from: str = ""  # the worker whose lease ran out, when this one took over

    def line(self) -> str:
        slot = f"{self.slot.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC"
        if self.outcome == SKIPPED:
            return f"{slot} {self.job}: already claimed by {self.worker}, skipped"
        taken = f" (taken over from {self.taken_over_from})" if self.taken_over_from else ""
        return f"{slot} {self.job}: {self.outcome}{taken} in {self.seconds:.1f} s: {self.summary}"


def run_due(
    now: dt.datetime,
    *,
    worker: str,
    jobs: tuple[Job, ...] = JOBS,
    seen: set[tuple[str, dt.datetime]] | None = None,
    waiting: set[tuple[str, dt.datetime]] | None = None,
    stop: Callable[[], bool] = lambda: False,
) -> Iterator[RunReport]:
    """Claim and run every job whose current slot this worker has not looked at yet,
    yielding one report per job as it ends. `seen` carries what was looked at between calls;
    `waiting` the slots another worker was still running, looked at again on every call so
    that a run whose lease runs out is taken over (`actions.take_over`)."""
    seen = set() if seen is None else seen
    waiting = set() if waiting is None else waiting
    for job in jobs:
        if stop():
            return
        slot = job.slot(now)
        key = (job.name, slot)
        if key in seen and key not in waiting:
            continue
        # Looking first keeps the database's log free of a failed insert per poll.
        held = actions.holding(job.name, slot)
        if held is None:
            run = actions.claim(job.name, slot, worker=worker, now=now)
        else:
            run = actions.take_over(held, worker=worker, now=now)
        first_look = key not in seen
        seen.add(key)
        if run is None:
            held = actions.holding(job.name, slot)  # as it is now another worker has it
            if held is not None and held.outcome == RunOutcome.RUNNING:
                waiting.add(key)
            else:
                waiting.discard(key)
            if first_look:
                yield RunReport(job.name, slot, SKIPPED, held.worker if held else "another worker")
            continue
        waiting.discard(key)
        yield _run(job, run, now)


def _run(job: Job, run: ScheduledRun, now: dt.datetime) -> RunReport:
    started = time.monotonic()

    def clock() -> dt.datetime:
        """The worker's clock as it runs on: `now` is when it woke up (a fixed clock in
        tests), so heartbeats are counted from there."""
        return now + dt.timedelta(seconds=time.monotonic() - started)

    with Heartbeat(run, clock=clock, every=actions.heartbeat_every()):
        try:
            summary, outcome = job.run(timezone.localdate(now), now), RunOutcome.DONE
        except Exception as error:
            # One job's failure must not stop the others; the next slot runs it again.
            logger.exception("scheduled job %s failed", job.name)
            summary, outcome = f"{type(error).__name__}: {error}", RunOutcome.FAILED
    seconds = time.monotonic() - started
    ended = now + dt.timedelta(seconds=seconds)
    if not actions.finish(run, outcome=outcome, summary=summary, now=ended):
        logger.warning("scheduled job %s outlived its lease and was taken over", job.name)
    return RunReport(job.name, run.slot, outcome, run.worker, summary, seconds, run.taken_over_from)


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
    waiting: set[tuple[str, dt.datetime]] = set()
    try:
        while not stop.is_set():
            close_old_connections()
            now = clock()
            try:
                for result in run_due(
                    now, worker=worker, jobs=jobs, seen=seen, waiting=waiting, stop=stop.is_set
                ):
                    report(result)
            except DatabaseError as error:
                logger.warning("database error, trying again in %.0f s: %s", poll_seconds, error)
                stop.wait(poll_seconds)
                continue
            current = {(job.name, job.slot(now)) for job in jobs}
            seen &= current  # forget slots that have passed
            waiting &= current
            now = clock()
            wait = (next_slot(jobs, now) - now).total_seconds()
            stop.wait(min(max(wait, 0.0) + 0.05, poll_seconds))
    finally:
        connections.close_all()  # a stopped worker leaves no session open on the server
