"""Run by the heartbeat tests as processes of their own (DATABASE_URL in the environment):
a worker running a job longer than its lease, and a second worker watching the run.

python -m tests.scheduling.heartbeat_run work LEASE SECONDS
    (on a SQLite file, migrates it first) prints `ready`, waits for a line on standard
    input, then runs a job of SECONDS under a lease of LEASE seconds, printing `running` as
    the job starts and `report <outcome> <taken over from>` when it ends
python -m tests.scheduling.heartbeat_run watch LEASE SECONDS
    prints `ready`, waits for a line, then for at most SECONDS looks at the run every 50 ms
    as another worker does: prints each new heartbeat (`beat <unix time>`), each report
    (`report <outcome> <taken over from>`), and once the run is no longer running
    elsewhere, `row <worker> <outcome> <taken over from> <start, unix time>`
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time

import django

JOB = "long"
# One slot for the whole test, whatever the hour it straddles.
EVERY = dt.timedelta(days=36500)


def main() -> None:
    mode, lease, seconds = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boundaries.settings")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.WORKER_LEASE_MINUTES = lease / 60
    if mode == "work" and connection.vendor == "sqlite":
        call_command("migrate", "scheduling", verbosity=0)
    print("ready", flush=True)
    sys.stdin.readline()
    if mode == "work":
        work(seconds)
    else:
        watch(seconds)


def work(seconds: float) -> None:
    from django.utils import timezone

    from boundaries.scheduling.schedule import Job
    from boundaries.scheduling.worker import run_due

    def long(today: dt.date, now: dt.datetime) -> str:
        print("running", flush=True)
        time.sleep(seconds)
        return "slept"

    jobs = (Job(JOB, EVERY, "-", "a job longer than its lease", long),)
    for report in run_due(timezone.now(), worker=f"process:{os.getpid()}", jobs=jobs):
        print(f"report {report.outcome} {report.taken_over_from or '-'}", flush=True)


def watch(seconds: float) -> None:
    from django.utils import timezone

    from boundaries.scheduling.models import RunOutcome, ScheduledRun
    from boundaries.scheduling.schedule import Job
    from boundaries.scheduling.worker import run_due

    def quick(today: dt.date, now: dt.datetime) -> str:
        return "ran"

    jobs = (Job(JOB, EVERY, "-", "the same job", quick),)
    seen: set[tuple[str, dt.datetime]] = set()
    waiting: set[tuple[str, dt.datetime]] = set()
    last_beat = None
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        run = ScheduledRun.objects.get(job=JOB)
        if run.outcome == RunOutcome.RUNNING and run.heartbeat_at != last_beat:
            last_beat = run.heartbeat_at
            print(f"beat {last_beat.timestamp()}", flush=True)
        for report in run_due(
            timezone.now(), worker="watcher:1", jobs=jobs, seen=seen, waiting=waiting
        ):
            print(f"report {report.outcome} {report.taken_over_from or '-'}", flush=True)
        if not waiting:  # the run ended, or this worker took it over and ran it
            break
        time.sleep(0.05)
    run = ScheduledRun.objects.get(job=JOB)
    taken = run.taken_over_from or "-"
    print(f"row {run.worker} {run.outcome} {taken} {run.started_at.timestamp()}", flush=True)


if __name__ == "__main__":
    main()
