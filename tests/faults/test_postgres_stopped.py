"""PostgreSQL stopped under an import (`pg_ctl stop -m immediate`: no shutdown checkpoint,
crash recovery at the next start): the command fails with one clear line and a non-zero
exit, the restarted server holds none of the import, and a retry brings every pupil once.

It runs on a private cluster the test creates; the shared server is never stopped.
"""

from __future__ import annotations

import hashlib
import random
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.faults import processes
from tests.faults.databases import Database, PrivateCluster, postgres_database
from tests.faults.kill_proof import SCHOOL, chain_intact, environment, import_args, judge, prepare
from tests.faults.roster_file import write_roster

ROWS = 100_000


@dataclass
class Stop:
    phase: str
    after: float  # seconds into the phase
    exit_code: int
    message: str  # the last line on stderr that is not a progress line
    stray_lines: list[str]  # any other such lines (a traceback would show here)
    verdict: str  # what the restarted server holds: "absent", "whole" or what is wrong

    def line(self) -> str:
        return (
            f"PostgreSQL stopped (pg_ctl stop -m immediate) {self.after:.2f} s into {self.phase}: "
            f"CLI exit {self.exit_code} with {self.message!r}"
            f"{f', and {len(self.stray_lines)} more lines' if self.stray_lines else ''}; "
            f"after restart the import is {self.verdict}"
        )


class Breaker:
    """Runs imports of one file against the private cluster and stops the server under them."""

    def __init__(self, cluster: PrivateCluster, db: Database, env: dict[str, str], roster: Path):
        self.cluster, self.db, self.env = cluster, db, env
        self.args = import_args(roster)
        self.sha256 = hashlib.sha256(roster.read_bytes()).hexdigest()
        self.events = 0

    def verdict(self) -> str:
        return judge(self.db.state(SCHOOL), self.events, ROWS, self.sha256)

    def stop_during(self, phase: str, delay: float) -> Stop:
        running = processes.start(*self.args, env=self.env)
        since = running.wait_for(phase)
        time.sleep(delay)
        after = time.monotonic() - running.began - since
        try:
            self.cluster.stop("immediate")
            run = running.finish(timeout=120)
        finally:
            self.cluster.start()  # crash recovery happens here
        lines = [line for line in run.stderr.splitlines() if line.strip()]
        others = [line for line in lines if not any(t in line for t in processes.PHASE_OF_LINE)]
        stop = Stop(
            phase, after, run.returncode, others[-1] if others else "", others[:-1], self.verdict()
        )
        if stop.verdict == "whole":  # committed just before the stop: start again from empty
            self.events += 1
            self.db.forget_pupils(SCHOOL)
        return stop


@pytest.mark.slow
def test_postgresql_stopped_mid_import_saves_nothing_and_a_retry_completes(
    cluster: PrivateCluster, tmp_path: Path
) -> None:
    rng = random.Random(15)
    with postgres_database(cluster.server, "boundaries_stopped") as db:
        env = environment(db, tmp_path / "data")
        prepare(env)
        roster = tmp_path / "roster.csv"
        write_roster(roster, ROWS, seed=15)
        breaker = Breaker(cluster, db, env, roster)
        timed = processes.run(*breaker.args, env=env)
        assert timed.returncode == 0, timed.stderr
        breaker.events = 1
        db.forget_pupils(SCHOOL)
        writing = (timed.started("commit") or 0.0) - (timed.started("write") or 0.0)
        mid_write = breaker.stop_during("write", rng.uniform(0.2, 0.8) * writing)
        at_commit = breaker.stop_during("commit", 0.0)
        chain_after_stops = chain_intact(env)
        retry = processes.run(*breaker.args, env=env)
        retried = breaker.verdict()
        state = db.state(SCHOOL)
        again = processes.run(*breaker.args, env=env)
        second = again.stdout.splitlines()[0].split(": ", 1)[1] if again.stdout else again.stderr
        chain_at_end = chain_intact(env)
    print(f"\n(one import {timed.seconds:.1f} s, of which writing {writing:.1f} s)")
    print(mid_write.line())
    print(at_commit.line())
    print(
        f"retry: exit {retry.returncode}, {state.pupils:,} pupils, "
        f"{state.pupils - state.distinct_mis_ids} duplicates, the import {retried}; "
        f"second retry {second}; audit chain "
        f"{'intact' if chain_after_stops and chain_at_end else 'BROKEN'}"
    )
    for stop in (mid_write, at_commit):
        assert stop.verdict in ("absent", "whole")
        if stop.verdict == "absent":
            assert stop.exit_code == 1
            assert stop.message.startswith("error: ")
            assert stop.stray_lines == []
    assert mid_write.verdict == "absent"
    assert chain_after_stops and chain_at_end
    assert retry.returncode == 0, retry.stderr
    assert retried == "whole"
    assert second.endswith(f"{ROWS} unchanged")
