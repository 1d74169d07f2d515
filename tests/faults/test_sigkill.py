"""An import killed with SIGKILL at random points leaves all of it or none of it, and a
retry brings exactly the file's pupils, each once; a second retry changes nothing.

The small run is in the default suite, on whichever database the suite runs on. The
100,000-row runs (an authority's roster) are `slow`: `make faults` runs them and prints
the figures.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.faults.databases import Database, PrivateCluster, postgres_database
from tests.faults.kill_proof import KillFigures, environment, prepare, sigkill_proof
from tests.faults.roster_file import write_roster

# Parsing ends before the transaction opens; these three happen inside it.
KILLED_IN = ("plan", "write", "commit")


def _prove(db: Database, tmp_path: Path, rows: int, **how: Any) -> KillFigures:
    env = environment(db, tmp_path / "data")
    prepare(env)
    roster = tmp_path / "roster.csv"
    sha256 = write_roster(roster, rows, seed=rows)
    figures = sigkill_proof(db, env, roster, sha256, rows=rows, **how)
    print(f"\n{figures.line()}")
    for problem in figures.partial:
        print(f"  {problem}")
    return figures


def _assert_all_or_nothing(figures: KillFigures, kills: int) -> None:
    assert figures.partial == []
    assert figures.kills == kills
    assert figures.outcomes["absent"] + figures.outcomes["whole"] == kills
    assert figures.chain_broken == 0
    assert figures.retry_rows == figures.rows
    assert figures.duplicates == 0
    assert figures.second_retry.endswith(
        f"0 to add, 0 to change, 0 to mark as leavers, {figures.rows} unchanged"
    )
    assert figures.second_retry_events == 0


def test_an_import_killed_while_planning_writing_or_committing_is_all_or_nothing(
    suite_database: Database, tmp_path: Path
) -> None:
    figures = _prove(suite_database, tmp_path, 5_000, phases=KILLED_IN, verify_each=False)
    _assert_all_or_nothing(figures, len(KILLED_IN))
    assert figures.landed == Counter(KILLED_IN)


@pytest.mark.slow
def test_an_authority_roster_killed_twenty_times_on_postgresql(
    cluster: PrivateCluster, tmp_path: Path
) -> None:
    with postgres_database(cluster.server, "boundaries_kills") as db:
        figures = _prove(db, tmp_path, 100_000, random_kills=20, seed=2026, verify_each=True)
    _assert_all_or_nothing(figures, 20)


@pytest.mark.slow
def test_an_authority_roster_killed_twenty_times_on_sqlite(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path}/faults.sqlite3")
    figures = _prove(db, tmp_path, 100_000, random_kills=20, seed=7, verify_each=True)
    _assert_all_or_nothing(figures, 20)
