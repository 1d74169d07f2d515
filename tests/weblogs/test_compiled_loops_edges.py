"""The compiled Squid loops run without bounds checks (ASVS V1.4.1, V1.4.2), so each
awkward input here is analysed by them and by the plain-Python reference
(`bench/weblogs_reference.py`, written apart from the engine): the rows must be the same,
and a line the engine cannot count is named as unparsed, by its line number.

Each case runs in one chunk and in chunks cut every few hundred bytes, with one worker
(chunks read into pooled buffers) and with two (ranges of the file mapped in place).
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from engines.weblogs import Calendar, Identities, WeblogsError, analyse, engine, kernels, squid
from engines.weblogs.catalogue import Catalogue, Platform
from engines.weblogs.tables import ByteTable
from engines.weblogs.tally import Rules, Tally
from engines.weblogs.workuse import WorkUse

from .conftest import CALENDAR

ROOT = Path(__file__).resolve().parents[2]
MONDAY_10AM = 1740996000  # 2025-03-03 10:00 in London (GMT)
IDENTITIES = "person,login,ip,valid_from,valid_to\nAlice,alice,,,\nBob,,10.0.0.9,,\n"
PEOPLE = [{"person": "Alice", "login": "alice"}, {"person": "Bob", "ip": "10.0.0.9"}]


def line(
    ts: str = f"{MONDAY_10AM}.000",
    user: bytes = b"alice",
    url: bytes = b"https://www.facebook.com/home",
    *,
    client: bytes = b"10.0.0.5",
    code: bytes = b"TCP_MISS/200",
    size: bytes = b"5120",
    method: bytes = b"GET",
    elapsed: bytes = b"   120",
) -> bytes:
    fields = [ts.encode(), elapsed, client, code, size, method, url, user, b"HIER_DIRECT/1.2.3.4"]
    return b" ".join([*fields, b"text/html"])


def at(seconds: int) -> str:
    return f"{MONDAY_10AM + seconds}.000"


OK = [line(), line(at(60), b"-", client=b"10.0.0.9"), line(at(120), code=b"TCP_DENIED/403")]
MAX = kernels.MAX_LINE_BYTES
MANY_PEOPLE = [line(at(i), b"user%05d" % i, b"http://h%05d.example/x" % i) for i in range(3000)]

SHORTEST = b"1740996000.000" + b" x" * 9  # 32 bytes: a time, then 9 one-byte fields
FB, IG = b"https://www.facebook.com/", b"https://www.instagram.com/"


def joined(*lines: bytes) -> bytes:
    return b"\n".join(lines)


# (name, file bytes, line numbers the engine reports unparsed)
CASES: list[tuple[str, bytes, list[int]]] = [
    ("an empty file", b"", []),
    ("only newlines", b"\n\n\r\n\n", []),
    ("no final newline", joined(*OK), []),
    ("a last line of the shortest length", joined(*OK, SHORTEST), []),
    ("a last line one byte short", joined(*OK, SHORTEST[:-1]), [4]),
    ("CRLF line ends", b"\r\n".join(OK) + b"\r\n", []),
    ("a line of only spaces", joined(OK[0], b" " * 200, OK[1]) + b"\n", [2]),
    ("only separators after a time", joined(OK[0], SHORTEST[:14] + b" " * 40), [2]),
    ("NUL bytes in fields", joined(*OK, line(user=b"ali\x00ce"), line(url=b"http://x\x00.c/")), []),
    ("a NUL byte in the time", joined(OK[1], b"17409\x0060000.000" + OK[0][14:]), [2]),
    ("bytes past 0x7f", joined(line(user=b"alic\xe9"), line(url=b"http://\xff.c/"), *OK), []),
    ("a byte past 0x80 in the time", joined(b"\xb1740996000.000" + OK[0][14:], OK[1]), [1]),
    ("an eleven-digit time", joined(b"1" + OK[0], OK[1]), [1]),
    ("the first and last times", joined(line("0000000000.000"), line("9999999999.999"), *OK), []),
    ("sizes and durations past 64 bits", joined(line(size=b"9" * 40, elapsed=b"9" * 30), *OK), []),
    ("a field at the very end of the file", joined(*OK, OK[0][:-1] + b"l"), []),
    ("a URL of 200 KB", joined(line(url=IG + b"a" * 200_000), *OK), []),
    ("a line longer than the loops accept", joined(OK[0], line(url=FB + b"a" * MAX), OK[1]), [2]),
    ("a login of 64 KB", joined(line(user=b"alice" + b"x" * 65536), *OK), []),
    ("thousands of people and hosts", joined(*MANY_PEOPLE, *OK) + b"\n", []),
]  # fmt: skip


def _reference(log: Path, folder: Path) -> list[dict[str, Any]]:
    spec = importlib.util.spec_from_file_location(
        "weblogs_reference", ROOT / "bench/weblogs_reference.py"
    )
    assert spec and spec.loader
    reference = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reference)
    calendar, identities = folder / "calendar.json", folder / "identities.csv"
    calendar.write_text(json.dumps(CALENDAR))
    identities.write_text(IDENTITIES)
    out, argv = io.StringIO(), sys.argv
    sys.argv = ["weblogs_reference.py", str(log), str(calendar), str(identities)]
    try:
        with contextlib.redirect_stdout(out):
            reference.main()
    finally:
        sys.argv = argv
    return [json.loads(row) for row in out.getvalue().splitlines()]


@pytest.fixture(scope="module")
def calendar() -> Calendar:
    return Calendar.from_dict(CALENDAR)


@pytest.mark.parametrize(("name", "data", "unparsed"), CASES, ids=[c[0] for c in CASES])
def test_awkward_squid_input_gives_the_reference_rows_or_names_the_line(
    name: str,
    data: bytes,
    unparsed: list[int],
    tmp_path: Path,
    calendar: Calendar,
    catalogue: Catalogue,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    log = tmp_path / "access.log"
    log.write_bytes(data)
    counted = tmp_path / "counted.log"  # what the reference is given: the lines not named
    lines = data.split(b"\n")
    counted.write_bytes(b"\n".join(t for n, t in enumerate(lines, 1) if n not in unparsed))
    expected = _reference(counted, tmp_path)
    identities = Identities.from_rows(PEOPLE)
    for chunk in (engine.CHUNK, 300):
        monkeypatch.setattr(engine, "CHUNK", chunk)
        for workers in (1, 2):
            result = analyse(
                [log],
                fmt="squid",
                catalogue=catalogue,
                identities=identities,
                calendar=calendar,
                workers=workers,
                checksums=False,
            )
            assert result.rows() == expected, (chunk, workers)
            problems = result.problems()
            assert [u["line"] for u in problems["unparsed_examples"]] == unparsed, (chunk, workers)
            assert problems["lines"] == data.count(b"\n") + (
                not data.endswith(b"\n") and data != b""
            )


def test_the_cases_reach_the_rows_they_are_about(
    calendar: Calendar, catalogue: Catalogue, tmp_path: Path
) -> None:
    """The table above would pass on rows that are all empty: these cases must count."""
    identities = Identities.from_rows(PEOPLE)
    cases = {name: data for name, data, _ in CASES}
    for name in ("no final newline", "the first and last times", "a URL of 200 KB"):
        log = tmp_path / "one.log"
        log.write_bytes(cases[name])
        rows = analyse(
            [log], fmt="squid", catalogue=catalogue, identities=identities, calendar=calendar
        ).rows()
        assert any(r["social_requests"] for r in rows), name
    assert any(r["blocked_social_requests"] for r in rows)


def test_a_catalogue_too_large_for_the_packed_platform_numbers_is_refused(
    calendar: Calendar, tmp_path: Path
) -> None:
    platforms = tuple(Platform(name=f"p{i}", domains=(f"p{i}.example",)) for i in range(4097))
    log = tmp_path / "access.log"
    log.write_bytes(OK[0] + b"\n")
    with pytest.raises(WeblogsError, match="4097 platforms"):
        analyse(
            [log],
            fmt="squid",
            catalogue=Catalogue(version="big", platforms=platforms),
            identities=Identities.from_rows(PEOPLE),
            calendar=calendar,
        )


def test_the_loop_is_not_entered_with_a_chunk_outside_its_buffer_or_columns_too_small(
    calendar: Calendar, catalogue: Catalogue
) -> None:
    """The compiled loop indexes without checks, so its caller checks the chunk's bounds."""
    rules = Rules.build(catalogue, calendar, Identities.from_rows(PEOPLE), WorkUse())
    tally = Tally(rules)
    data = bytearray(OK[0] + b"\n" + bytes(squid.SLACK))
    size = len(OK[0]) + 1
    cols = squid.Columns()
    tables = (ByteTable(), ByteTable())
    with pytest.raises(ValueError, match="lack room"):
        squid.scan(data, size, cols, *tables, tally)
    cols.reserve(size)
    for start, end in ((size + 1, size), (-1, size), (0, len(data))):
        with pytest.raises(ValueError, match="outside its buffer"):
            squid.scan(data, end, cols, *tables, tally, start)
    tally.widen(MONDAY_10AM)
    assert squid.scan(data, size, cols, *tables, tally) == (1, 1, 0)
