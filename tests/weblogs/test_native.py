"""The compiled loops load as machine code without numba, and give numba's results."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from engines.weblogs import native

ROOT = Path(__file__).resolve().parents[2]
# Analyses a generated log and prints what a user sees, plus whether numba was imported.
SCRIPT = """
import json, sys
from pathlib import Path
from engines.weblogs import Calendar, Identities, analyse, load_catalogue, native
log = Path(sys.argv[1])
cal = Calendar.from_json(Path(f"{log}.calendar.json").read_text())
ids = Identities.from_csv(Path(f"{log}.identities.csv"), timezone=cal.timezone)
result = analyse([log], fmt="squid", catalogue=load_catalogue(), identities=ids, calendar=cal)
print(json.dumps({
    "rows": result.rows(), "problems": result.problems(),
    "numba": "numba" in sys.modules, "reason": native.reason,
}))
"""


def _analyse(log: Path, **env: str) -> dict:  # type: ignore[type-arg]
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(log)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **env},
    )
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def _generate(folder: Path, lines: int) -> Path:
    log = folder / "gen.log"
    subprocess.run(
        [
            *(sys.executable, str(ROOT / "bench/weblogs_generate.py"), "--lines", str(lines)),
            *("--seed", "11", "--out", str(log)),
        ],
        check=True,
        capture_output=True,
    )
    return log


def test_a_second_run_analyses_without_importing_numba_and_matches_numba(tmp_path: Path) -> None:
    log = _generate(tmp_path, 40_000)
    first = _analyse(log)  # compiles and caches the machine code if this checkout lacks it
    again = _analyse(log)
    with_numba = _analyse(log, BOUNDARIES_NATIVE_KERNELS="0")
    assert again["reason"] == "" and not again["numba"]
    assert with_numba["numba"] and with_numba["reason"].endswith("BOUNDARIES_NATIVE_KERNELS=0")
    assert len(again["rows"]) > 100
    assert again["rows"] == with_numba["rows"] == first["rows"]
    assert again["problems"] == with_numba["problems"]


def test_a_damaged_cache_is_compiled_again(tmp_path: Path) -> None:
    loaded = native.load_or_build(tmp_path)
    (obj,) = tmp_path.glob("kernels-*.o")
    good = obj.read_bytes()
    obj.write_bytes(good[: len(good) // 2])
    native.load_or_build(tmp_path)
    rebuilt = obj.read_bytes()
    meta = json.loads(next(tmp_path.glob("kernels-*.json")).read_text())
    assert len(rebuilt) > len(good) // 2
    assert meta["sha256"] == hashlib.sha256(rebuilt).hexdigest()
    assert set(meta["functions"]) == set(native.SIGNATURES)
    assert set(loaded.functions) == set(native.SIGNATURES)


def test_the_native_rehash_moves_every_row(tmp_path: Path) -> None:
    from engines.weblogs.tables import _slot_rows

    loaded = native.load_or_build(tmp_path)
    rehash = native._call_native("rehash", loaded.functions["rehash"], loaded.failed)
    old = _slot_rows(8)
    for i, key in enumerate([5, 9, 14]):
        old[key % 8] = [i, key, 0, 0, 0, 0, 0, 0]
    new = _slot_rows(16)
    rehash(old, new)
    assert sorted(new[new[:, 0] >= 0, 1].tolist()) == [5, 9, 14]
    assert new[5, 1] == 5 and new[9, 1] == 9 and new[14, 1] == 14


def test_arrays_of_the_wrong_type_are_refused_before_the_call(tmp_path: Path) -> None:
    loaded = native.load_or_build(tmp_path)
    recount = native._call_native("recount", loaded.functions["recount"], loaded.failed)
    with pytest.raises(TypeError, match="recount: wrong array int32"):
        recount(np.zeros((4, 3), dtype=np.int32), np.zeros((8, 3), dtype=np.int64))


def test_the_loops_and_the_tables_agree_on_the_unknown_host_code() -> None:
    # kernels.py keeps its own copy so that its machine code depends on its text alone
    from engines.weblogs import kernels, tables

    assert kernels.UNKNOWN_HOST == tables.UNKNOWN_HOST


def test_a_line_by_line_format_is_counted_without_numba_too(tmp_path: Path) -> None:
    script = """
import sys
from pathlib import Path
from engines.weblogs import Calendar, Identities, analyse, load_catalogue, native
cal = Calendar.from_dict({"timezone": "Europe/London", "weekdays": [0, 1, 2, 3, 4],
                          "start": "08:30", "end": "15:30"})
ids = Identities.from_rows([{"person": "Alice", "login": "alice"}])
rows = analyse([Path(sys.argv[1])], fmt="combined", catalogue=load_catalogue(),
               identities=ids, calendar=cal).rows()
print(len(rows), "numba" in sys.modules, repr(native.reason))
"""
    _analyse(_generate(tmp_path, 2_000))  # the Squid path first, as the cache may be cold
    out = subprocess.run(
        [sys.executable, "-c", script, str(Path(__file__).parent / "samples" / "combined.log")],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    count, numba, reason = out.stdout.split()
    assert int(count) >= 1 and numba == "False" and reason == "''"
