from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest
import zstandard

from engines.weblogs import Calendar, Identities, analyse, engine

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def generated(tmp_path_factory):  # type: ignore[no-untyped-def]
    """A generated Squid log, its calendar and identities, and the reference's rows."""
    log = tmp_path_factory.mktemp("gen") / "gen.log"
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
    identities = Identities.from_csv(ids, timezone=calendar.timezone)
    expected = [json.loads(line) for line in reference.stdout.splitlines()]
    return log, calendar, identities, expected


def _rows(paths, generated, catalogue, workers=2):  # type: ignore[no-untyped-def]
    _, calendar, identities, _ = generated
    return analyse(
        paths,
        fmt="squid",
        catalogue=catalogue,
        calendar=calendar,
        identities=identities,
        workers=workers,
    )


def test_engine_rows_equal_the_plain_python_reference(generated, catalogue):
    log, _, _, expected = generated
    result = _rows([log], generated, catalogue)
    assert len(expected) > 500
    assert any(r["social_minutes"] and r["blocked_social_requests"] for r in expected)
    assert result.rows() == expected
    assert result.lines == 60000


@pytest.mark.parametrize("workers", [1, 2])
def test_small_chunks_and_growing_tables_give_the_same_rows(
    workers, generated, catalogue, monkeypatch
):
    """Many chunks (lines cut at every chunk edge), tables grown many times over."""
    log, _, _, expected = generated
    monkeypatch.setattr(engine, "CHUNK", 40_000)
    result = _rows([log], generated, catalogue, workers=workers)
    assert result.rows() == expected
    assert result.lines == 60000


@pytest.mark.parametrize("kind", ["gzip", "zstd"])
def test_compressed_copies_give_the_reference_rows(kind, generated, catalogue, tmp_path):
    log, _, _, expected = generated
    raw = log.read_bytes()
    packed = tmp_path / f"gen.log.{kind}"
    packed.write_bytes(gzip.compress(raw) if kind == "gzip" else zstandard.compress(raw))
    result = _rows([packed], generated, catalogue)
    assert result.rows() == expected
    assert result.sources[0].compression == kind


def test_line_numbers_stay_exact_across_chunks_and_workers(
    generated, catalogue, tmp_path, monkeypatch
):
    log, _, _, _ = generated
    lines = log.read_bytes().splitlines(keepends=True)[:5000]
    bad = {17, 1234, 2500, 4999}
    for number in sorted(bad):
        lines[number - 1] = b"1740960003.234 not a squid line\n"
    lines[2999] = b"x" * 100_000 + b"\n"  # longer than a chunk
    bad.add(3000)
    lines[99] = lines[99].replace(b"\n", b"\r\n")
    lines[199] = b"\n"
    lines[-1] = lines[-1].rstrip(b"\n")
    path = tmp_path / "edited.log"
    path.write_bytes(b"".join(lines))
    monkeypatch.setattr(engine, "CHUNK", 30_000)
    result = _rows([path, path], generated, catalogue)
    assert result.lines == 10000
    assert result.unparsed_lines == 2 * len(bad)
    found = [(Path(u.source).name, u.line) for u in result.unparsed_examples]
    assert found == [("edited.log", n) for n in sorted(bad)] * 2
    texts = {u.line: u.text for u in result.unparsed_examples}
    assert texts[3000] == "x" * 300
    assert all("not a squid line" in texts[n] for n in bad - {3000})
    assert [s.lines for s in result.sources] == [5000, 5000]
