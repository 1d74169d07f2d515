from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from engines.weblogs import Calendar, Identities, analyse

ROOT = Path(__file__).resolve().parents[2]


def test_engine_rows_equal_the_plain_python_reference(tmp_path, catalogue):
    log = tmp_path / "gen.log"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench/weblogs_generate.py"),
            "--lines",
            "60000",
            "--seed",
            "7",
            "--out",
            str(log),
        ],
        check=True,
        capture_output=True,
    )
    cal, ids = Path(f"{log}.calendar.json"), Path(f"{log}.identities.csv")
    reference = subprocess.run(
        [sys.executable, str(ROOT / "bench/weblogs_reference.py"), str(log), str(cal), str(ids)],
        check=True,
        capture_output=True,
        text=True,
    )
    calendar = Calendar.from_json(cal.read_text())
    result = analyse(
        [log],
        fmt="squid",
        catalogue=catalogue,
        calendar=calendar,
        identities=Identities.from_csv(ids, timezone=calendar.timezone),
        workers=2,
    )
    expected = [json.loads(line) for line in reference.stdout.splitlines()]
    assert len(expected) > 500
    assert any(r["social_minutes"] and r["blocked_social_requests"] for r in expected)
    assert result.rows() == expected
