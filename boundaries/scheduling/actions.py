"""Claiming a job's slot, renewing its lease while the job runs, taking over a run whose
worker died, and recording how it ended.

These writes carry no audit event of their own: the row is itself the operational record,
and what each job changes (emails claimed, records purged) is audited by the job.
"""

from __future__ import annotations

import datetime as dt
import os
import socket

from django.conf import settings
from django.db import IntegrityError, transaction

from boundaries.scheduling.models import RunOutcome, ScheduledRun


def worker_name() -> str:
    """host:pid, so a run's row says which worker on which machine ran it."""
    return f"{socket.gethostname()}:{os.getpid()}"


def lease() -> dt.timedelta:
    """How long a run may stay `running` before another worker presumes its worker dead."""
    return dt.timedelta(minutes=settings.WORKER_LEASE_MINUTES)


def heartbeat_every() -> dt.timedelta:
    """How often a running job's worker renews its lease: a third of it, so that one beat
    lost to a busy database still leaves another before the lease runs out."""
    return lease() / 3


def claim(job: str, slot: dt.datetime, *, worker: str, now: dt.datetime) -> ScheduledRun | None:
    """Insert the run's row in its own transaction. The unique (job, slot) constraint lets
    exactly one worker's insert succeed; every other worker gets None and skips the run."""
    try:
        with transaction.atomic():
            return ScheduledRun.objects.create(
                job=job, slot=slot, worker=worker, started_at=now, heartbeat_at=now
            )
    except IntegrityError:
        return None


def holding(job: str, slot: dt.datetime) -> ScheduledRun | None:
    """The run holding a slot, or None while it is free."""
    return ScheduledRun.objects.filter(job=job, slot=slot).first()


def claimed_by(job: str, slot: dt.datetime) -> str | None:
    """The worker holding a slot, or None while it is free."""
    run = holding(job, slot)
    return run.worker if run else None


def renew(run: ScheduledRun, *, now: dt.datetime) -> bool:
    """Renew the lease of a run this worker is running, unless the run is no longer its own
    (another worker took it over while this one was stalled, or it has ended): then False,
    and the row is left alone. Like `finish`, the update names the worker and start, so a
    worker that lost its run cannot keep alive the run of the one that took it over."""
    renewed = ScheduledRun.objects.filter(
        pk=run.pk, worker=run.worker, started_at=run.started_at, outcome=RunOutcome.RUNNING
    ).update(heartbeat_at=now)
    return bool(renewed)


def take_over(run: ScheduledRun, *, worker: str, now: dt.datetime) -> ScheduledRun | None:
    """Take a run whose lease has run out (a lease after its last heartbeat) from the worker
    that started it, or None when it is not ours to take: it ended, its worker renewed the
    lease, or another worker took it first. The update names the row's worker, start and
    last heartbeat as they were read, so of any number of workers trying at once exactly
    one changes the row (on PostgreSQL the others wait for its lock, then find the row
    changed; SQLite runs one write at a time), and a heartbeat that lands after the read
    keeps the run with its worker."""
    if not run.is_stale(now, lease()):
        return None
    taken = ScheduledRun.objects.filter(
        pk=run.pk,
        worker=run.worker,
        started_at=run.started_at,
        heartbeat_at=run.heartbeat_at,
        outcome=RunOutcome.RUNNING,
    ).update(worker=worker, started_at=now, heartbeat_at=now, taken_over_from=run.worker)
    if not taken:
        return None
    run.taken_over_from, run.worker = run.worker, worker
    run.started_at = run.heartbeat_at = now
    return run


def finish(run: ScheduledRun, *, outcome: RunOutcome, summary: str, now: dt.datetime) -> bool:
    """Record how the run ended, unless another worker has taken it over meanwhile (this
    worker outlived its lease): then the row is theirs, and False says so."""
    finished = ScheduledRun.objects.filter(
        pk=run.pk, worker=run.worker, started_at=run.started_at
    ).update(outcome=outcome, summary=summary[:2000], finished_at=now)
    run.outcome, run.summary, run.finished_at = outcome, summary[:2000], now
    return bool(finished)
