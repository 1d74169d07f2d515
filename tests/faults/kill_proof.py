"""The SIGKILL proof, run the same way on SQLite and PostgreSQL at any size.

Two ways to choose the moments. `random_moments`: one full import is timed first, then
each kill is drawn at random inside its own slice of the time from "reading the file" to
"Saved:" (kill i of n in [i/n, (i+1)/n) of it), so the kills spread over parsing, planning,
writing and committing in proportion to the time each takes, instead of bunching by
chance. `phase_moments`: a kill the moment
each phase is announced, which the small run in the default suite uses. After each kill,
once the database has settled, the school holds either the whole import with exactly one
new import event that matches the file, or nothing and no new event; and
`boundaries audit verify` still says the chain is intact. A whole import is then emptied
again, so that every kill interrupts a first import of the file.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tests.faults import processes
from tests.faults.databases import Database, ImportState

SCHOOL = "pendle"


def environment(db: Database, data_dir: Path) -> dict[str, str]:
    import os

    return {
        **os.environ,
        "BOUNDARIES_DATA_DIR": str(data_dir),
        "DATABASE_URL": db.url,
        "DATABASE_CONN_MAX_AGE": "0",
        "BOUNDARIES_ENV": "development",
    }


def prepare(env: dict[str, str]) -> None:
    """Tables and one empty school, made with the real command (one process: start-up is
    most of the cost of a small run)."""
    done = processes.run(
        "manage",
        "shell",
        "-c",
        "from django.core.management import call_command; "
        "from boundaries.core.models import Organisation; "
        "call_command('migrate', verbosity=0); "
        f"Organisation.objects.create(name='Pendle Vale Academy', slug='{SCHOOL}', kind='school')",
        env=env,
    )
    assert done.returncode == 0, done.stderr


def import_args(roster: Path) -> tuple[str, ...]:
    return ("import", "roster", str(roster), "--school", SCHOOL, "--yes", "--progress")


def judge(state: ImportState, before: int, rows: int, sha256: str) -> str:
    """'absent', 'whole', or what is wrong: the one place the proof's verdict is decided."""
    new_events = state.imports[before:]
    if state.pupils == 0 and not new_events:
        return "absent"
    if (
        state.pupils == rows
        and state.distinct_mis_ids == rows
        and len(new_events) == 1
        and new_events[0]["added"] == rows
        and new_events[0]["sha256"] == sha256
    ):
        return "whole"
    return (
        f"partial: {state.pupils} pupils ({state.distinct_mis_ids} distinct), "
        f"{len(new_events)} new import events {new_events}"
    )


Moment = tuple[str, float]  # kill this many seconds after this phase is announced


def random_moments(timed: processes.Run, kills: int, rng: random.Random) -> list[Moment]:
    """Points drawn across the timed run from "reading the file" to "Saved:", one per
    slice, each kept as (the phase it fell in, seconds into that phase): anchored to what
    the process announces, a kill lands in the same step of a run that started up slower.
    (After "Saved:" only the interpreter's exit is left: nothing to prove there.)"""
    starts = [(at, phase) for at, phase in timed.phases]
    end = timed.saved_at or timed.seconds
    begin, width = starts[0][0], (end - starts[0][0]) / kills
    moments = []
    for i in range(kills):
        point = begin + rng.uniform(i, i + 1) * width
        at, phase = [(at, phase) for at, phase in starts if at <= point][-1]
        moments.append((phase, point - at))
    return moments


def phase_moments(phases: tuple[str, ...]) -> list[Moment]:
    return [(phase, 0.0) for phase in phases]


def chain_intact(env: dict[str, str]) -> bool:
    verdict = processes.run("audit", "verify", env=env)
    return verdict.returncode == 0 and verdict.stdout.startswith("intact")


@dataclass
class KillFigures:
    backend: str
    rows: int
    import_seconds: float = 0.0
    phase_starts: dict[str, float] = field(default_factory=dict)
    landed: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    partial: list[str] = field(default_factory=list)
    chain_broken: int = 0
    missed: int = 0
    settle_seconds: float = 0.0
    retry_rows: int = 0
    duplicates: int = 0
    second_retry: str = ""
    second_retry_events: int = 0
    proof_seconds: float = 0.0  # the timed import, the kills and checks, both retries

    @property
    def kills(self) -> int:
        return sum(self.landed.values())

    def line(self) -> str:
        phases = ", ".join(f"{p} {self.landed[p]}" for p in processes.ORDER if self.landed[p])
        timing = ""
        if self.import_seconds:
            starts = ", ".join(f"{p} {at:.1f} s" for p, at in self.phase_starts.items())
            timing = f"; one import {self.import_seconds:.1f} s to exit, phases begin at {starts}"
        return (
            f"{self.backend}, {self.rows:,} rows{timing}: {self.kills} SIGKILLs ({phases}; "
            f"{self.missed} more came after the import had exited and were tried again): "
            f"{len(self.partial)} partial imports ({self.outcomes['absent']} absent, "
            f"{self.outcomes['whole']} whole), audit chain broken {self.chain_broken} times; "
            f"retry {self.retry_rows:,} rows, {self.duplicates} duplicates; second retry "
            f"{self.second_retry}, {self.second_retry_events} new import events; "
            f"the proof took {self.proof_seconds:.0f} s"
        )


def sigkill_proof(
    db: Database,
    env: dict[str, str],
    roster: Path,
    sha256: str,
    *,
    rows: int,
    random_kills: int = 0,
    seed: int = 0,
    phases: tuple[str, ...] = (),
    verify_each: bool,
) -> KillFigures:
    """Kill imports of `roster` at random moments and as each of `phases` begins."""
    began = time.monotonic()
    figures = KillFigures("PostgreSQL" if db.is_postgres else "SQLite", rows)
    args = import_args(roster)
    events = 0
    queue = phase_moments(phases)
    if random_kills:
        timed = processes.run(*args, env=env)
        assert timed.returncode == 0, timed.stderr
        assert judge(db.state(SCHOOL), 0, rows, sha256) == "whole"
        figures.import_seconds = timed.seconds
        figures.phase_starts = {p: at for at, p in timed.phases}
        figures.phase_starts["saved"] = timed.saved_at or timed.seconds
        db.forget_pupils(SCHOOL)
        events = 1
        queue += random_moments(timed, random_kills, random.Random(seed))
    kills, attempts = len(queue), 0
    while queue and attempts < 3 * kills:
        attempts += 1
        phase, delay = queue[0]
        run = processes.kill_at(phase, delay, *args, env=env)
        figures.settle_seconds = max(figures.settle_seconds, db.settle())
        verdict = judge(db.state(SCHOOL), events, rows, sha256)
        if run.killed:
            queue.pop(0)
            figures.landed[run.phase] += 1
            figures.outcomes[verdict.split(":")[0]] += 1
        else:
            figures.missed += 1  # this run was quicker and finished first: try again
        if verdict.startswith("partial"):
            figures.partial.append(f"kill {delay:.2f} s after {phase} in {run.phase}: {verdict}")
        if verify_each:
            figures.chain_broken += not chain_intact(env)
        if verdict == "whole":
            events += 1
            db.forget_pupils(SCHOOL)
        elif verdict != "absent":
            break  # the evidence stays as it is for the report
    _retry(db, env, args, figures, events, sha256)
    figures.proof_seconds = time.monotonic() - began
    return figures


def _retry(
    db: Database,
    env: dict[str, str],
    args: tuple[str, ...],
    figures: KillFigures,
    events: int,
    sha256: str,
) -> None:
    retry = processes.run(*args, env=env)
    assert retry.returncode == 0, retry.stderr
    state = db.state(SCHOOL)
    figures.retry_rows = state.pupils
    figures.duplicates = state.pupils - state.distinct_mis_ids
    if judge(state, events, figures.rows, sha256) != "whole":
        figures.partial.append(f"the retry left {judge(state, events, figures.rows, sha256)}")
    again = processes.run(*args, env=env)
    assert again.returncode == 0, again.stderr
    figures.second_retry = again.stdout.splitlines()[0].split(": ", 1)[1]
    figures.second_retry_events = len(db.state(SCHOOL).imports) - (events + 1)
    figures.chain_broken += not chain_intact(env)
