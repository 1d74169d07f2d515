"""The worker runs each scheduled job once per slot, however many workers share the database."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from typer.testing import CliRunner

from boundaries.cli import app
from boundaries.policies.models import ReviewReminder
from boundaries.scheduling.actions import claim
from boundaries.scheduling.models import ScheduledRun
from boundaries.scheduling.schedule import DAY, HOUR, JOBS, Job, next_slot, slot_of
from boundaries.scheduling.worker import RunReport, run_due, run_forever
from tests.cast import Cast, policy_with_versions
from tests.scheduling.racing import race

UTC = dt.UTC
NOW = dt.datetime(2026, 11, 24, 14, 37, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("every", "now", "slot"),
    [
        (HOUR, NOW, dt.datetime(2026, 11, 24, 14, 0, tzinfo=UTC)),
        (
            HOUR,
            dt.datetime(2026, 11, 24, 14, 59, 59, 999999, tzinfo=UTC),
            NOW.replace(minute=0, second=0),
        ),
        (
            HOUR,
            dt.datetime(2026, 11, 24, 15, 0, tzinfo=UTC),
            dt.datetime(2026, 11, 24, 15, 0, tzinfo=UTC),
        ),
        (DAY, NOW, dt.datetime(2026, 11, 24, 0, 0, tzinfo=UTC)),
        # The same instant written in another zone falls in the same slot.
        (
            HOUR,
            NOW.astimezone(dt.timezone(dt.timedelta(hours=1))),
            dt.datetime(2026, 11, 24, 14, 0, tzinfo=UTC),
        ),
        (dt.timedelta(minutes=15), NOW, dt.datetime(2026, 11, 24, 14, 30, tzinfo=UTC)),
    ],
)
def test_a_slot_is_the_start_of_the_interval_in_utc(
    every: dt.timedelta, now: dt.datetime, slot: dt.datetime
) -> None:
    assert slot_of(every, now) == slot


def test_a_clock_without_a_time_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        slot_of(HOUR, NOW.replace(tzinfo=None))


def test_an_idle_worker_wakes_at_the_next_hour() -> None:
    assert next_slot(JOBS, NOW) == dt.datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


def test_every_timer_command_is_in_the_schedule() -> None:
    assert {job.command for job in JOBS} == {
        "boundaries reminders",
        "boundaries acknowledgements remind",
        "boundaries declarations remind",
        "boundaries weblogs purge",
        "boundaries retention purge",
    }
    hourly = {job.name for job in JOBS if job.every == HOUR}
    assert hourly == {"review-reminders", "reading-reminders"}


class Counting:
    """A job that counts its runs and takes long enough for racing workers to overlap."""

    def __init__(self, seconds: float = 0.0, fail: bool = False) -> None:
        self.calls: list[tuple[dt.date, dt.datetime]] = []
        self.seconds = seconds
        self.fail = fail
        self.lock = threading.Lock()

    def __call__(self, today: dt.date, now: dt.datetime) -> str:
        with self.lock:
            self.calls.append((today, now))
        time.sleep(self.seconds)
        if self.fail:
            raise RuntimeError("the relay refused the connection")
        return f"run {len(self.calls)}"


def job(name: str, run: Counting, every: dt.timedelta = HOUR) -> Job:
    return Job(name, every, f"boundaries {name}", "a test job", run)


# pytest-django's SQLite test database is in memory, shared between threads by SQLite's
# shared cache, which answers "table is locked" at once where a database file waits its
# turn; so threads race on PostgreSQL, and processes race on a SQLite file below.
needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="threads race on PostgreSQL; on SQLite the process race below covers the claim",
)


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_for_one_slot_run_the_job_once() -> None:
    counting = Counting(seconds=0.3)
    jobs = (job("count", counting),)

    def worker(name: str, go: Callable[[], None]) -> list[RunReport]:
        go()
        return list(run_due(NOW, worker=name, jobs=jobs))

    reports = race(["host-a:1", "host-b:2"], worker)
    assert len(counting.calls) == 1
    outcomes = sorted(r.outcome for rs in reports.values() for r in rs)
    assert outcomes == ["done", "skipped"]
    run = ScheduledRun.objects.get()
    assert (run.job, run.slot, run.outcome) == ("count", slot_of(HOUR, NOW), "done")
    skipped = next(r for rs in reports.values() for r in rs if r.outcome == "skipped")
    assert skipped.worker == run.worker  # the loser names the winner
    assert "already claimed by" in skipped.line()


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_of_four_inserts_racing_for_one_slot_exactly_one_claims_it() -> None:
    def worker(name: str, go: Callable[[], None]) -> ScheduledRun | None:
        go()
        return claim("count", slot_of(HOUR, NOW), worker=name, now=NOW)

    claims = race([f"host:{n}" for n in range(4)], worker)
    won = [c for c in claims.values() if c is not None]
    assert len(won) == 1
    assert ScheduledRun.objects.get().worker == won[0].worker


@pytest.mark.parametrize(
    ("set_up", "race"),
    [
        ((), ()),  # a free slot: one insert wins
        (("stale",), ("take-over",)),  # a run left by a dead worker: one update wins
    ],
    ids=["claim", "take-over"],
)
def test_of_two_processes_racing_on_a_sqlite_file_exactly_one_claims_the_slot(
    tmp_path: Path, set_up: tuple[str, ...], race: tuple[str, ...]
) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/race.sqlite3"}
    env["BOUNDARIES_DATA_DIR"] = str(tmp_path)
    module = [sys.executable, "-m", "tests.scheduling.claim_race"]
    for step in ("migrate", *set_up):
        subprocess.run([*module, step], env=env, check=True, capture_output=True, timeout=120)
    racers = [
        subprocess.Popen(
            [*module, *race],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for racer in racers:  # all set up before any of them goes
        assert racer.stdout is not None and racer.stdout.readline().strip() == "ready"
    for racer in racers:
        assert racer.stdin is not None
        racer.stdin.write("go\n")
        racer.stdin.flush()
    answers = {racer.pid: racer.communicate(timeout=60)[0].strip() for racer in racers}
    assert sorted(answers.values()) == ["lost", "won"]
    with sqlite3.connect(tmp_path / "race.sqlite3") as db:
        rows = db.execute("select job, worker from scheduling_scheduledrun").fetchall()
    winner = next(pid for pid, answer in answers.items() if answer == "won")
    assert rows == [("count", f"process:{winner}")]


@pytest.mark.django_db
def test_the_same_slot_is_not_run_again_but_the_next_one_is() -> None:
    counting = Counting()
    jobs = (job("count", counting),)
    assert [r.outcome for r in run_due(NOW, worker="a:1", jobs=jobs)] == ["done"]
    later_same_hour = NOW + dt.timedelta(minutes=20)
    assert [r.outcome for r in run_due(later_same_hour, worker="b:2", jobs=jobs)] == ["skipped"]
    next_hour = NOW + dt.timedelta(hours=1)
    assert [r.outcome for r in run_due(next_hour, worker="b:2", jobs=jobs)] == ["done"]
    assert len(counting.calls) == 2
    assert ScheduledRun.objects.filter(job="count").count() == 2


@pytest.mark.django_db
def test_a_failed_job_is_recorded_and_the_others_still_run() -> None:
    broken, fine = Counting(fail=True), Counting()
    jobs = (job("broken", broken), job("fine", fine))
    reports = list(run_due(NOW, worker="a:1", jobs=jobs))
    assert [(r.job, r.outcome) for r in reports] == [("broken", "failed"), ("fine", "done")]
    failed = ScheduledRun.objects.get(job="broken")
    assert failed.outcome == "failed"
    assert "the relay refused the connection" in failed.summary
    assert failed.finished_at is not None
    # Not retried within its slot; tried again in the next one.
    assert list(run_due(NOW, worker="a:1", jobs=jobs)) == [
        RunReport("broken", slot_of(HOUR, NOW), "skipped", "a:1"),
        RunReport("fine", slot_of(HOUR, NOW), "skipped", "a:1"),
    ]
    assert [r.outcome for r in run_due(NOW + HOUR, worker="a:1", jobs=jobs)] == ["failed", "done"]


@pytest.mark.django_db
def test_a_job_gets_the_local_date_of_its_run() -> None:
    counting = Counting()
    late_evening_in_summer = dt.datetime(
        2026, 6, 30, 23, 30, tzinfo=UTC
    )  # 00:30 on 1 July in London
    list(run_due(late_evening_in_summer, worker="a:1", jobs=(job("count", counting),)))
    assert counting.calls == [(dt.date(2026, 7, 1), late_evening_in_summer)]


@pytest.mark.django_db(transaction=True)
def test_a_stop_request_lets_the_running_job_finish_and_starts_no_other() -> None:
    stop = threading.Event()
    first, second = Counting(seconds=0.2), Counting()
    jobs = (job("first", first), job("second", second))
    lines: list[str] = []

    def report(result: RunReport) -> None:
        lines.append(result.line())

    def stop_soon() -> None:
        time.sleep(0.05)  # while the first job runs
        stop.set()

    threading.Thread(target=stop_soon).start()
    worker = threading.Thread(
        target=run_forever,
        kwargs={
            "worker": "a:1",
            "stop": stop,
            "report": report,
            "jobs": jobs,
            "clock": lambda: NOW,
        },
    )
    worker.start()
    worker.join(timeout=10)
    connection.close()
    assert not worker.is_alive()
    assert len(first.calls) == 1 and second.calls == []
    assert lines == ["2026-11-24 14:00 UTC first: done in 0.2 s: run 1"]
    assert ScheduledRun.objects.get().job == "first"


@pytest.fixture(autouse=True)
def _django_already_set_up(monkeypatch: pytest.MonkeyPatch) -> None:
    """pytest-django has set Django up; the command setting it up again would point logging
    at the runner's temporary stream, which is closed once the command returns."""
    monkeypatch.setattr("boundaries.cli.django_setup", lambda: None)


def invoke(*args: str) -> Any:
    return CliRunner().invoke(app, ["worker", *args])


@pytest.mark.django_db(transaction=True)  # emails go after commit
def test_worker_once_sends_a_due_review_reminder_once(cast: Cast, smtp_server: Any) -> None:
    policy_with_versions(cast)  # review due 2026-11-20: overdue now
    first = invoke("--once")
    assert first.exit_code == 0, first.output
    assert "review-reminders: done" in first.output
    assert "Review reminders: 2 sent" in first.output
    again = invoke("--once")
    assert again.exit_code == 0
    assert "review-reminders: already claimed by" in again.output
    assert sorted(m["To"] for m in smtp_server.messages if "Review" in m["Subject"]) == [
        "governors@rivington.example",
        "head@rivington.example",
    ]
    assert ReviewReminder.objects.count() == 2
    assert ScheduledRun.objects.filter(job="review-reminders").count() == 1


def test_worker_list_shows_each_job_with_its_last_run(cast: Cast, smtp_server: Any) -> None:
    before = invoke("--list")
    assert before.exit_code == 0, before.output
    for job_ in JOBS:
        assert job_.name in before.output and job_.command in before.output
    assert before.output.count("next run: due now") == len(JOBS)
    invoke("--once")
    after = invoke("--list")
    assert after.output.count("last run:") == len(JOBS)
    assert "due now" not in after.output
