"""A run left `running` by a worker that was killed is taken over once its lease runs out,
by exactly one worker; the worker that outlived its lease does not overwrite the row."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest

from boundaries.scheduling import actions
from boundaries.scheduling.models import RunOutcome, ScheduledRun
from boundaries.scheduling.schedule import HOUR, slot_of
from boundaries.scheduling.worker import run_due
from tests.scheduling.racing import race
from tests.scheduling.test_worker import NOW, Counting, job, needs_postgresql

SLOT = slot_of(HOUR, NOW)
MINUTE = dt.timedelta(minutes=1)


def left_running(
    minutes_ago: int, worker: str = "dead-host:1", *, beat_minutes_ago: int | None = None
) -> ScheduledRun:
    """A row as a worker killed mid-job leaves it: started `minutes_ago`, its last heartbeat
    `beat_minutes_ago` (at the start, unless said)."""
    started = NOW - minutes_ago * MINUTE
    beat = started if beat_minutes_ago is None else NOW - beat_minutes_ago * MINUTE
    return ScheduledRun.objects.create(
        job="count", slot=SLOT, worker=worker, started_at=started, heartbeat_at=beat
    )


@pytest.mark.parametrize(
    ("lease_minutes", "minutes_ago", "taken"),
    [
        (30, 29, False),
        (30, 30, True),
        (30, 45, True),
        (5, 6, True),  # the setting decides
        (60, 45, False),
    ],
)
@pytest.mark.django_db
def test_a_run_is_taken_over_only_once_its_lease_has_run_out(
    settings: Any, lease_minutes: int, minutes_ago: int, taken: bool
) -> None:
    settings.WORKER_LEASE_MINUTES = lease_minutes
    left_running(minutes_ago)
    counting = Counting()
    [report] = run_due(NOW, worker="host-b:2", jobs=(job("count", counting),))
    run = ScheduledRun.objects.get()
    if taken:
        assert (report.outcome, len(counting.calls)) == ("done", 1)
        assert (run.worker, run.outcome, run.taken_over_from) == ("host-b:2", "done", "dead-host:1")
        assert report.line().startswith(
            "2026-11-24 14:00 UTC count: done (taken over from dead-host:1) in"
        )
    else:
        assert (report.outcome, report.worker, counting.calls) == ("skipped", "dead-host:1", [])
        assert (run.worker, run.outcome) == ("dead-host:1", "running")


def test_the_default_lease_is_half_an_hour() -> None:
    assert "WORKER_LEASE_MINUTES" not in os.environ
    assert actions.lease() == dt.timedelta(minutes=30)


def test_a_lease_under_a_minute_stops_the_application_at_start_up() -> None:
    env = {**os.environ, "WORKER_LEASE_MINUTES": "0"}
    code = "import django; from django.conf import settings; settings.WORKER_LEASE_MINUTES"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "WORKER_LEASE_MINUTES must be at least 1" in result.stderr


@pytest.mark.django_db
def test_a_worker_that_skipped_a_running_slot_takes_it_over_when_the_lease_runs_out(
    settings: Any,
) -> None:
    settings.WORKER_LEASE_MINUTES = 10
    left_running(5)
    counting = Counting()
    jobs = (job("count", counting),)
    seen: set[tuple[str, dt.datetime]] = set()
    waiting: set[tuple[str, dt.datetime]] = set()
    first = list(run_due(NOW, worker="host-b:2", jobs=jobs, seen=seen, waiting=waiting))
    assert [r.outcome for r in first] == ["skipped"]
    # Polls inside the lease say nothing more and run nothing.
    inside = NOW + 3 * MINUTE
    assert list(run_due(inside, worker="host-b:2", jobs=jobs, seen=seen, waiting=waiting)) == []
    after = NOW + 8 * MINUTE
    [taken] = run_due(after, worker="host-b:2", jobs=jobs, seen=seen, waiting=waiting)
    assert (taken.outcome, taken.taken_over_from) == ("done", "dead-host:1")
    assert len(counting.calls) == 1 and waiting == set()
    # Once done, nobody looks at the slot again.
    later = NOW + 20 * MINUTE  # still 14:00's slot
    assert list(run_due(later, worker="host-b:2", jobs=jobs, seen=seen, waiting=waiting)) == []


@pytest.mark.django_db
def test_a_finished_or_failed_run_is_never_taken_over() -> None:
    for outcome in ("done", "failed"):
        ScheduledRun.objects.all().delete()
        run = left_running(120)
        ScheduledRun.objects.filter(pk=run.pk).update(outcome=outcome)
        counting = Counting()
        [report] = run_due(NOW, worker="host-b:2", jobs=(job("count", counting),))
        assert (report.outcome, counting.calls) == ("skipped", [])


@pytest.mark.django_db
def test_a_worker_that_outlived_its_lease_leaves_the_row_to_the_one_that_took_over() -> None:
    slow = actions.claim("count", SLOT, worker="slow:1", now=NOW)
    assert slow is not None
    stale = ScheduledRun.objects.get()
    assert actions.take_over(stale, worker="host-b:2", now=NOW + 31 * MINUTE) is not None
    assert not actions.finish(slow, outcome=RunOutcome.FAILED, summary="late", now=NOW + HOUR)
    run = ScheduledRun.objects.get()
    assert (run.worker, run.outcome, run.summary) == ("host-b:2", "running", "")
    assert actions.finish(run, outcome=RunOutcome.DONE, summary="ok", now=NOW + HOUR)


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_of_four_workers_racing_to_take_over_one_stale_run_exactly_one_does() -> None:
    left_running(45)

    def worker(name: str, go: Callable[[], None]) -> ScheduledRun | None:
        stale = ScheduledRun.objects.get()  # each reads it before any of them writes
        go()
        return actions.take_over(stale, worker=name, now=NOW)

    taken = race([f"host:{n}" for n in range(4)], worker)
    won = [t for t in taken.values() if t is not None]
    assert len(won) == 1
    run = ScheduledRun.objects.get()
    assert (run.worker, run.taken_over_from) == (won[0].worker, "dead-host:1")


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_workers_finding_one_stale_run_run_its_job_once() -> None:
    left_running(45)
    counting = Counting(seconds=0.3)
    jobs = (job("count", counting),)

    def worker(name: str, go: Callable[[], None]) -> list[str]:
        go()
        return [r.outcome for r in run_due(NOW, worker=name, jobs=jobs)]

    outcomes = race(["host-a:1", "host-b:2"], worker)
    assert len(counting.calls) == 1
    assert sorted(o for each in outcomes.values() for o in each) == ["done", "skipped"]
    assert ScheduledRun.objects.get().outcome == "done"
