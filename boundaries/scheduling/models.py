"""One row per scheduled job run: the claim that makes a run happen once across workers."""

from __future__ import annotations

import datetime as dt

from django.db import models


class RunOutcome(models.TextChoices):
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ScheduledRun(models.Model):
    """A job's run for one slot (the start of its interval). The unique constraint is the
    claim: the worker whose insert succeeds runs the job, every other worker skips it. While
    the job runs, its worker renews the lease (`heartbeat_at`) every third of it; a row left
    `running` a whole lease (`WORKER_LEASE_MINUTES`) after its last heartbeat means its worker
    stopped mid-run: one other worker takes the run over and runs the job again, and each
    job's own per-email claims keep that from sending anything twice."""

    job = models.CharField(max_length=60)
    slot = models.DateTimeField()
    worker = models.CharField(max_length=200, help_text="host:pid of the worker that ran it")
    started_at = models.DateTimeField()
    heartbeat_at = models.DateTimeField(
        help_text="when its worker last said it was still running it (at first, the start)"
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(
        max_length=10, choices=RunOutcome.choices, default=RunOutcome.RUNNING
    )
    summary = models.TextField(blank=True)
    taken_over_from = models.CharField(
        max_length=200, blank=True, help_text="the worker whose lease ran out, if any"
    )

    class Meta:
        ordering = ["-slot", "job"]
        constraints = [
            models.UniqueConstraint(fields=["job", "slot"], name="one_run_per_job_and_slot")
        ]

    def __str__(self) -> str:
        return f"{self.job} at {self.slot:%Y-%m-%d %H:%M}"

    def is_stale(self, now: dt.datetime, lease: dt.timedelta) -> bool:
        """Still running a whole lease after its worker's last heartbeat: the worker is
        presumed dead (killed, or its machine gone), however long ago the run started."""
        return self.outcome == RunOutcome.RUNNING and now - self.heartbeat_at >= lease
