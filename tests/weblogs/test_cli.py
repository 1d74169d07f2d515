from __future__ import annotations

import json

from typer.testing import CliRunner

from boundaries.cli.weblogs import app

from .conftest import CALENDAR, SAMPLES


def _inputs(tmp_path):
    cal = tmp_path / "cal.json"
    cal.write_text(json.dumps(CALENDAR))
    ids = tmp_path / "ids.csv"
    ids.write_text("person,login,ip\nAlice,alice,\nBob,,10.0.0.9\n")
    return ["--calendar", str(cal), "--identities", str(ids)]


def test_cli_prints_one_json_line_per_person_day_and_problems_on_stderr(tmp_path):
    result = CliRunner().invoke(
        app, ["analyse", str(SAMPLES / "squid.log"), "--format", "squid", *_inputs(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["person"], r["date"]) for r in rows] == [
        ("Alice", "2025-01-06"),
        ("Bob", "2025-01-06"),
    ]
    assert rows[0]["platforms"] == {"Facebook": 1, "YouTube": 1}
    assert "unparsed: 2" in result.stderr
    assert "squid.log:4" in result.stderr


def test_cli_bad_input_gives_one_line_and_non_zero_exit(tmp_path):
    result = CliRunner().invoke(app, ["analyse", str(tmp_path / "missing.log"), *_inputs(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("error:")
    assert len(result.stderr.strip().splitlines()) == 1


def test_cli_does_not_import_django():
    import subprocess
    import sys

    code = "import sys, boundaries.cli.weblogs; print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_cli_prints_each_files_sha256_only_when_asked(tmp_path):
    import hashlib

    from engines.weblogs import Calendar, Identities, analyse, load_catalogue

    log = SAMPLES / "squid.log"
    args = ["analyse", str(log), "--format", "squid", *_inputs(tmp_path)]
    plain = CliRunner().invoke(app, args)
    hashed = CliRunner().invoke(app, [*args, "--sha256"])
    assert plain.exit_code == hashed.exit_code == 0
    assert plain.stdout == hashed.stdout
    assert "sha256" not in plain.stderr
    digest = hashlib.sha256(log.read_bytes()).hexdigest()
    assert f"sha256 {digest}  {log}" in hashed.stderr.splitlines()
    unhashed = analyse(
        [log],
        fmt="squid",
        catalogue=load_catalogue(),
        identities=Identities.from_rows([{"person": "Alice", "login": "alice"}]),
        calendar=Calendar.from_dict(CALENDAR),
        checksums=False,
    )
    assert [s.sha256 for s in unhashed.sources] == [""]
