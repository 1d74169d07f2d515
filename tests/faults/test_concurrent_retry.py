"""Two imports of one file at once: someone retries while the first run (or a killed run's
server session, still committing) is writing. Exactly one saves; the other finds nothing
to change (SQLite: it waits to begin until the first has committed) or fails with one line
that says nothing of it was saved (PostgreSQL: the unique MIS id stops its rows); the school holds
every pupil once and the audit chain is intact."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import psycopg

from tests.faults import processes
from tests.faults.databases import Database
from tests.faults.kill_proof import SCHOOL, chain_intact, environment, import_args, prepare
from tests.faults.roster_file import write_roster

ROWS = 5_000


@contextlib.contextmanager
def audit_log_held(database: Database) -> Iterator[None]:
    """On PostgreSQL, hold the audit head so that an import that has written its rows waits,
    uncommitted, before its audit event: the moment a retry can collide with it. (SQLite
    needs no help: its writers queue at BEGIN.)"""
    if not database.is_postgres:
        yield
        return
    with psycopg.connect(database.url) as holder:
        holder.execute("LOCK TABLE core_audithead IN EXCLUSIVE MODE")
        yield
        holder.rollback()


def test_the_same_import_run_twice_at_once_saves_each_pupil_once(
    suite_database: Database, tmp_path: Path
) -> None:
    database = suite_database
    env = environment(database, tmp_path / "data")
    prepare(env)
    roster = tmp_path / "roster.csv"
    write_roster(roster, ROWS, seed=11)
    with audit_log_held(database):
        first = processes.start(*import_args(roster), env=env)
        second = processes.start(*import_args(roster), env=env)
        if database.is_postgres:  # both have planned against an empty roster
            first.wait_for("write")
            second.wait_for("write")
    runs = [first.finish(), second.finish()]
    state = database.state(SCHOOL)
    print(
        "\ntwo imports at once: "
        + "; ".join(
            f"exit {r.returncode}: {(r.stderr if r.returncode else r.stdout).splitlines()[-1]}"
            for r in runs
        )
        + f"; {state.pupils:,} pupils ({state.distinct_mis_ids:,} distinct), "
        f"{len(state.imports)} import events"
    )
    assert state.pupils == state.distinct_mis_ids == ROWS
    assert len(state.imports) == 1
    assert sorted(r.returncode for r in runs)[0] == 0
    for run in runs:
        if run.returncode != 0:
            errors = [line for line in run.stderr.splitlines() if line.startswith("error: ")]
            assert errors == [run.stderr.splitlines()[-1]]
            assert "Traceback" not in run.stderr
            assert "nothing of this one was saved: run it again" in errors[0]
    again = processes.run(*import_args(roster), env=env)
    assert again.returncode == 0 and f"{ROWS} unchanged" in again.stdout
    assert chain_intact(env)
