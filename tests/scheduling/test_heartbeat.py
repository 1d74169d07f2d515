"""While a job runs, its worker renews the run's lease every third of it, so a job that runs
longer than the lease is not run a second time; a worker killed mid-job stops renewing it,
and its run is taken over one lease after the last heartbeat; a worker that lost its run
cannot renew it. Leases of a second or less here (set in each test), so real time is short."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection

from boundaries.scheduling import actions
from boundaries.scheduling.heartbeat import Heartbeat
from boundaries.scheduling.models import RunOutcome, ScheduledRun
from boundaries.scheduling.worker import run_due
from tests.scheduling.test_lease import MINUTE, SLOT, left_running
from tests.scheduling.test_worker import NOW, Counting, job

SECOND = dt.timedelta(seconds=1)


@pytest.mark.parametrize(
    ("started", "last_beat", "taken"),
    [
        (120, 29, False),  # started long ago, renewed inside the lease
        (120, 30, True),
        (45, 45, True),  # never renewed: a lease after its start, as before heartbeats
        (20, 20, False),
    ],
)
@pytest.mark.django_db
def test_a_run_is_taken_over_a_lease_after_its_last_heartbeat_not_after_its_start(
    started: int, last_beat: int, taken: bool
) -> None:
    left_running(started, beat_minutes_ago=last_beat)
    [report] = run_due(NOW, worker="host-b:2", jobs=(job("count", Counting()),))
    assert report.outcome == ("done" if taken else "skipped")
    run = ScheduledRun.objects.get()
    assert run.worker == ("host-b:2" if taken else "dead-host:1")


@pytest.mark.django_db
def test_a_heartbeat_landing_after_another_worker_read_the_run_keeps_it_with_its_worker() -> None:
    left_running(45, worker="slow:1")
    as_read_by_b = ScheduledRun.objects.get()
    owner = ScheduledRun.objects.get()
    assert actions.renew(owner, now=NOW)
    assert actions.take_over(as_read_by_b, worker="host-b:2", now=NOW) is None
    run = ScheduledRun.objects.get()
    assert (run.worker, run.heartbeat_at, run.taken_over_from) == ("slow:1", NOW, "")


@pytest.mark.django_db
def test_a_worker_that_lost_its_run_cannot_renew_the_lease_of_the_one_that_took_it_over() -> None:
    slow = actions.claim("count", SLOT, worker="slow:1", now=NOW)
    assert slow is not None
    taken = actions.take_over(ScheduledRun.objects.get(), worker="host-b:2", now=NOW + 31 * MINUTE)
    assert taken is not None
    assert not actions.renew(slow, now=NOW + 32 * MINUTE)
    run = ScheduledRun.objects.get()
    assert (run.worker, run.heartbeat_at) == ("host-b:2", NOW + 31 * MINUTE)
    assert actions.renew(taken, now=NOW + 33 * MINUTE)
    assert actions.finish(taken, outcome=RunOutcome.DONE, summary="ok", now=NOW + 34 * MINUTE)
    assert not actions.renew(taken, now=NOW + 35 * MINUTE)  # an ended run is nobody's
    assert ScheduledRun.objects.get().heartbeat_at == NOW + 33 * MINUTE


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_of_a_worker_that_lost_its_run_stops_and_leaves_the_row_alone() -> None:
    slow = actions.claim("count", SLOT, worker="slow:1", now=NOW)
    assert slow is not None
    actions.take_over(ScheduledRun.objects.get(), worker="host-b:2", now=NOW + 31 * MINUTE)
    with Heartbeat(slow, clock=lambda: NOW + 40 * MINUTE, every=SECOND / 20) as heartbeat:
        deadline = time.monotonic() + 10
        while not heartbeat.lost and time.monotonic() < deadline:
            time.sleep(0.01)
    assert (heartbeat.lost, heartbeat.beats) == (True, 0)
    run = ScheduledRun.objects.get()
    assert (run.worker, run.heartbeat_at) == ("host-b:2", NOW + 31 * MINUTE)


def _server_sessions() -> int | None:
    """Sessions open on the PostgreSQL server for the test database (None on SQLite, whose
    in-memory test database Django never closes)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        return int(cursor.fetchone()[0])


def _heartbeat_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("heartbeat ")]


@pytest.mark.parametrize("fails", [False, True], ids=["done", "failed"])
@pytest.mark.django_db(transaction=True)
def test_the_lease_is_renewed_while_the_job_runs_and_the_heartbeat_ends_with_the_job(
    settings: Any, fails: bool
) -> None:
    settings.WORKER_LEASE_MINUTES = 0.3 / 60  # 0.3 s: a beat every 0.1 s
    before = _server_sessions()
    [report] = run_due(NOW, worker="a:1", jobs=(job("count", Counting(0.45, fail=fails)),))
    assert report.outcome == ("failed" if fails else "done")
    assert _heartbeat_threads() == []
    run = ScheduledRun.objects.get()
    assert run.started_at == NOW
    # Renewed at least once, by the worker's clock, and not after the job ended.
    assert NOW + SECOND / 10 <= run.heartbeat_at <= NOW + report.seconds * SECOND
    # The thread closed its own connection to the server (which may take a moment to see).
    deadline = time.monotonic() + 5
    while _server_sessions() != before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _server_sessions() == before


# Two workers as processes of their own, on the database the suite runs on: a SQLite file
# (pytest-django's in-memory one is not shared with other processes), or the PostgreSQL test
# database itself (their rows are committed, so the test is transactional).


@pytest.fixture
def worker_env(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "BOUNDARIES_DATA_DIR": str(tmp_path)}
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        login = db["USER"] + (f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else "")
        where = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        env["DATABASE_URL"] = f"postgres://{login}@{where}/{db['NAME']}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path}/heartbeat.sqlite3"
    return env


MODULE = "tests.scheduling.heartbeat_run"


class Worker:
    """A `heartbeat_run` process: its lines as they come, a start line, a SIGKILL."""

    def __init__(self, mode: str, lease: float, seconds: float, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", MODULE, mode, str(lease), str(seconds)],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []

    def expect(self, prefix: str) -> str:
        """Read lines until one starts with `prefix` (kept in `lines`, as are the others)."""
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.strip())
            if line.startswith(prefix):
                return line.strip()
        raise AssertionError(f"{prefix!r} never came: {self.lines}")

    def go(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("go\n")
        self.process.stdin.flush()

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def said(self, prefix: str) -> list[str]:
        return [line.removeprefix(prefix) for line in self.lines if line.startswith(prefix)]


@contextmanager
def two_workers(
    env: dict[str, str], *, lease: float, job_seconds: float
) -> Iterator[tuple[Worker, Worker]]:
    """A worker that has started a job of `job_seconds` under a `lease` (in seconds), and a
    second worker watching the run from then on."""
    worker = Worker("work", lease, job_seconds, env)
    watcher = Worker("watch", lease, 30, env)
    try:
        worker.expect("ready")
        watcher.expect("ready")
        worker.go()
        worker.expect("running")
        watcher.go()
        yield worker, watcher
    finally:
        for each in (worker, watcher):
            if each.process.poll() is None:
                each.kill()
            for stream in (each.process.stdin, each.process.stdout):
                if stream is not None:
                    stream.close()


@pytest.mark.django_db(transaction=True)
def test_a_job_running_three_leases_is_not_taken_over_while_its_worker_heartbeats(
    worker_env: dict[str, str],
) -> None:
    with two_workers(worker_env, lease=1.0, job_seconds=2.5) as (worker, watcher):
        assert worker.expect("report") == "report done -"
        row = watcher.expect("row").split()
        watcher.process.wait(timeout=30)
    assert watcher.said("report ") == ["skipped -"]  # it looked, and never took over
    assert row[1:4] == [f"process:{worker.process.pid}", "done", "-"]
    beats = [float(at) for at in watcher.said("beat ")]
    assert len(beats) >= 3
    assert max(b - a for a, b in itertools.pairwise(beats)) < 1.0


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_job_stops_heartbeating_and_is_taken_over_a_lease_later(
    worker_env: dict[str, str],
) -> None:
    lease = 1.0
    with two_workers(worker_env, lease=lease, job_seconds=60) as (worker, watcher):
        for _ in range(3):  # the start, then two renewals
            watcher.expect("beat")
        worker.kill()
        killed_at = time.time()
        assert watcher.expect("report done") == f"report done process:{worker.process.pid}"
        row = watcher.expect("row").split()
        watcher.process.wait(timeout=30)
    last_beat = float(watcher.said("beat ")[-1])
    taken_at = float(row[4])
    assert row[1:4] == ["watcher:1", "done", f"process:{worker.process.pid}"]
    assert taken_at >= last_beat + lease  # not before its lease ran out
    assert taken_at < killed_at + lease + 2  # nor long after (slack for a busy machine)
    assert watcher.said("report ") == ["skipped -", f"done process:{worker.process.pid}"]
