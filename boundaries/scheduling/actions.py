"""Claiming a job's slot and recording how the run ended.

These writes carry no audit event of their own: the row is itself the operational record,
and what each job changes (emails claimed, records purged) is audited by the job.
"""

from __future__ import annotations

import datetime as dt
import os
import socket

from django.db import IntegrityError, transaction

from boundaries.scheduling.models import RunOutcome, ScheduledRun


def worker_name() -> str:
    """host:pid, so a run's row says which worker on which machine ran it."""
    return f"{socket.gethostname()}:{os.getpid()}"


def claim(job: str, slot: dt.datetime, *, worker: str, now: dt.datetime) -> ScheduledRun | None:
    """Insert the run's row in its own transaction. The unique (job, slot) constraint lets
    exactly one worker's insert succeed; every other worker gets None and skips the run."""
    try:
        with transaction.atomic():
            return ScheduledRun.objects.create(job=job, slot=slot, worker=worker, started_at=now)
    except IntegrityError:
        return None


def claimed_by(job: str, slot: dt.datetime) -> str | None:
    """The worker holding a slot, or None while it is free."""
    return ScheduledRun.objects.filter(job=job, slot=slot).values_list("worker", flat=True).first()


def finish(run: ScheduledRun, *, outcome: RunOutcome, summary: str, now: dt.datetime) -> None:
    ScheduledRun.objects.filter(pk=run.pk).update(
        outcome=outcome, summary=summary[:2000], finished_at=now
    )
    run.outcome, run.summary, run.finished_at = outcome, summary[:2000], now
