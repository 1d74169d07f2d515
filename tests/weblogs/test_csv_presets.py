"""Each web filter's CSV export, in the layout its documentation describes, gives the same
figures through the engine and the CLI; what is wrong with a file or a row is said plainly.

The samples in samples/presets/ are invented (people, addresses, sites); their columns,
time formats and blocked words are the ones docs/weblogs-formats.md lists per product.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from boundaries.cli.weblogs import app
from engines.weblogs import Calendar, Identities, WeblogsError, analyse
from engines.weblogs.csvpresets import PRESETS

from .conftest import CALENDAR, SAMPLES

PRESET_SAMPLES = SAMPLES / "presets"
ALICE = {
    "person": "Alice",
    "date": "2025-01-06",
    "requests": 3,
    "social_requests": 2,
    "social_minutes": 2,
    "blocked_social_requests": 0,
    "platforms": {"Facebook": 1, "YouTube": 1},
}
BOB = {
    "person": "Bob",
    "date": "2025-01-06",
    "requests": 1,
    "social_requests": 0,
    "social_minutes": 0,
    "blocked_social_requests": 1,
    "platforms": {},
}
IDENTITIES = [
    {"person": "Alice", "login": "alice"},
    {"person": "Alice", "login": "alice@rivington.example"},
    {"person": "Alice", "ip": "10.0.0.1"},
    {"person": "Bob", "ip": "10.0.0.9"},
]

# preset, sample, line of its bad row, what is wrong with it
PRESET_TABLE = [
    ("smoothwall", "smoothwall-web-filter.csv", 5, "the time '06/01/2025 25:61:00'"),
    ("lightspeed", "lightspeed-activity-logs.csv", 5, "the row has 2 cells; the header has 9"),
    ("securly", "securly-activity.csv", 5, "the time 'Jan 6, 2025'"),
    ("netsweeper", "netsweeper-request-logs.csv", 5, "the URL cell is empty"),
]


@pytest.fixture
def people() -> Identities:
    return Identities.from_rows(IDENTITIES)


def _analyse(path: Path, fmt: str, people: Identities, catalogue, columns: str | None = None):  # type: ignore[no-untyped-def]
    return analyse(
        [path],
        fmt=fmt,
        catalogue=catalogue,
        identities=people,
        calendar=Calendar.from_dict(CALENDAR),
        columns=columns,
        workers=1,
    )


@pytest.mark.parametrize(("preset", "sample", "bad_line", "problem"), PRESET_TABLE)
def test_each_products_export_gives_each_persons_day(
    preset: str, sample: str, bad_line: int, problem: str, people: Identities, catalogue
) -> None:
    result = _analyse(PRESET_SAMPLES / sample, preset, people, catalogue)
    assert result.rows() == [ALICE, BOB]
    assert result.unparsed_lines == 1
    [bad] = result.unparsed_examples
    assert bad.line == bad_line and bad.text.startswith(problem)


def _cli_inputs(tmp_path: Path) -> list[str]:
    cal = tmp_path / "cal.json"
    cal.write_text(json.dumps(CALENDAR))
    ids = tmp_path / "ids.csv"
    ids.write_text(
        "person,login,ip\n"
        + "".join(f"{r['person']},{r.get('login', '')},{r.get('ip', '')}\n" for r in IDENTITIES)
    )
    return ["--calendar", str(cal), "--identities", str(ids)]


@pytest.mark.parametrize(("preset", "sample", "bad_line", "problem"), PRESET_TABLE)
def test_each_products_export_through_the_cli(
    preset: str, sample: str, bad_line: int, problem: str, tmp_path: Path
) -> None:
    path = PRESET_SAMPLES / sample
    result = CliRunner().invoke(
        app, ["analyse", str(path), "--format", preset, *_cli_inputs(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert [json.loads(line) for line in result.stdout.splitlines()] == [ALICE, BOB]
    assert "unparsed: 1," in result.stderr
    assert f"unparsed {path}:{bad_line}: {problem}" in result.stderr


@pytest.mark.parametrize(
    ("preset", "action", "blocked"),
    [
        ("smoothwall", "Blocked", True),
        ("smoothwall", "Allowed", False),
        ("lightspeed", "Blocked", True),
        ("lightspeed", "Redirected", False),  # e.g. to YouTube's restricted mode: still used
        ("securly", "Blocked", True),
        ("securly", "Flagged", False),
        ("netsweeper", "Deny", True),
        ("netsweeper", "Allow", False),
        ("smoothwall", "Allowed (overridden)", False),  # no "den" inside a word
        ("csv", "true", True),
        ("csv", "DENIED", True),
        ("csv", "Allowed", False),
    ],
)
def test_each_product_marks_a_blocked_request_in_its_own_words(
    preset: str, action: str, blocked: bool, tmp_path: Path, people: Identities, catalogue
) -> None:
    log = tmp_path / "one.csv"
    log.write_text(f"Time,User,URL,Action\n2025-01-06 09:33:00,alice,api.tiktok.com,{action}\n")
    columns = "time=Time,user=User,url=URL,action=Action" if preset == "csv" else None
    [alice] = _analyse(log, preset, people, catalogue, columns).rows()
    assert (alice["blocked_social_requests"], alice["social_requests"]) == (
        (1, 0) if blocked else (0, 1)
    )


@pytest.mark.parametrize(
    ("preset", "header", "cells"),
    [
        ("smoothwall", "Time", "06/01/2025 09:30:00"),  # day first
        ("smoothwall", "Time", "06/01/2025 09:30"),
        ("netsweeper", "Timestamp", "06-01-2025 09:30:00"),
        ("lightspeed", "Time", "01/06/2025 09:30:00 AM"),  # month first
        ("securly", "Date", "01/06/2025 9:30 AM"),
        ("securly", "Date", '"Jan 6, 2025 9:30 AM"'),
        ("lightspeed", "Time", "2025-01-06T09:30:00Z"),
        ("lightspeed", "Time", "2025-01-06T10:30:00+01:00"),
        ("netsweeper", "Timestamp", "2025/01/06 09:30:00"),
        ("smoothwall", "Time", "1736155800"),  # epoch seconds
        ("netsweeper", "Timestamp", "1736155800000"),  # epoch milliseconds
        ("smoothwall", "Date,Time", "06/01/2025,09:30:00"),  # date and time in two columns
        ("netsweeper", "Date,Time", "2025-01-06,09:30"),
    ],
)
def test_times_are_read_as_each_product_writes_them(
    preset: str, header: str, cells: str, tmp_path: Path, people: Identities, catalogue
) -> None:
    """09:30 on Monday 6 January: a misread month lands on a weekend, a misread 12-hour
    clock after school, and then the social request would not be counted."""
    log = tmp_path / "one.csv"
    log.write_text(f"{header},User,Client IP,URL\n{cells},alice,10.0.0.1,www.facebook.com\n")
    [alice] = _analyse(log, preset, people, catalogue).rows()
    assert (alice["date"], alice["social_minutes"]) == ("2025-01-06", 1)


def test_a_time_of_day_alone_asks_for_the_date_column(
    tmp_path: Path, people: Identities, catalogue
) -> None:
    log = tmp_path / "web-filter.csv"
    log.write_text("Time,Username,URL\n09:30:00,alice,www.facebook.com\n")
    result = _analyse(log, "smoothwall", people, catalogue)
    assert result.rows() == []
    assert result.unparsed_examples[0].text.startswith(
        "the time '09:30:00' has no date: map the date column with date=..."
    )


def test_unknown_headers_name_the_columns_found_and_those_the_preset_expects(
    tmp_path: Path, people: Identities, catalogue
) -> None:
    log = tmp_path / "export.csv"
    log.write_text("When,Who,Address\n2025-01-06 09:30,alice,www.facebook.com\n")
    with pytest.raises(WeblogsError) as caught:
        _analyse(log, "securly", people, catalogue)
    message = str(caught.value)
    assert "the header names 'When', 'Who', 'Address'" in message
    assert "the securly format looks for time: one of 'Time'" in message
    assert "url: one of 'URL', 'Site', 'Website', 'Domain'" in message
    assert "user: one of 'User'" in message and "or client: one of 'IP'" in message
    assert "column mapping" in message


def test_the_column_mapping_reads_an_export_no_preset_knows(
    tmp_path: Path, people: Identities, catalogue
) -> None:
    log = tmp_path / "export.csv"
    log.write_text(
        "When;Who;Address;Outcome\n".replace(";", ",")
        + "06.01.2025 09:30,alice,www.facebook.com,ok\n"
        + "06.01.2025 09:31,alice,www.instagram.com,REFUSED\n"
    )
    columns = (
        "time=When,user=Who,url=Address,action=Outcome,"
        "time_format=%d.%m.%Y %H:%M,denied=refused|stopped"
    )
    [alice] = _analyse(log, "smoothwall", people, catalogue, columns).rows()
    assert alice["social_requests"] == 1 and alice["blocked_social_requests"] == 1
    assert alice["platforms"] == {"Facebook": 1}


@pytest.mark.parametrize(
    ("columns", "words"),
    [
        ("time=When,colour=Red", "'colour=Red' is not name=value with name one of time, date"),
        ("time=", "'time=' is not name=value"),
    ],
)
def test_a_bad_column_mapping_is_refused_by_name(
    columns: str, words: str, people: Identities, catalogue
) -> None:
    with pytest.raises(WeblogsError, match=words):
        _analyse(PRESET_SAMPLES / "securly-activity.csv", "securly", people, catalogue, columns)


def test_bad_rows_are_counted_by_line_and_never_stop_the_run(
    tmp_path: Path, people: Identities, catalogue
) -> None:
    good = "2025-01-06 09:{m:02d}:00,alice,10.0.0.1,www.facebook.com\n"
    log = tmp_path / "export.csv"
    log.write_text(
        "Time,User,Client IP,URL\n"
        + good.format(m=30)
        + '2025-01-06 09:31:00,"alice,10.0.0.1,www.facebook.com\n'  # an unclosed quote
        + "yesterday,alice,10.0.0.1,www.facebook.com\n"
        + "\n"
        + "Time,User,Client IP,URL\n"  # a second export pasted below the first
        + good.format(m=32)
    )
    result = _analyse(log, "smoothwall", people, catalogue)
    assert result.rows()[0]["social_minutes"] == 2
    assert result.unparsed_lines == 2
    first, second = result.unparsed_examples
    assert first.line == 3 and first.text.startswith("the row has 2 cells; the header has 4: ")
    assert second.line == 4 and second.text.startswith(
        "the time 'yesterday' is not a date and time like 2025-01-06 09:30:00 or 06/01/2025"
    )


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_the_formats_doc_lists_every_name_each_preset_tries(preset: str) -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "weblogs-formats.md").read_text()
    heading = {"smoothwall": "### Smoothwall", "lightspeed": "### Lightspeed Systems"}.get(
        preset, f"### {preset.capitalize()}"
    )
    section = doc.split(heading, 1)[1].split("\n### ", 1)[0]
    for field in ("time", "date", "user", "client", "url", "action"):
        row = next(line for line in section.splitlines() if line.startswith(f"| {field} |"))
        assert row.split("|")[2].strip() == ", ".join(PRESETS[preset][field]), (preset, field)
    words = ", ".join(PRESETS[preset]["denied"])
    assert f"Blocked words: {words}." in section, preset


def test_lines_ending_in_a_carriage_return_alone_are_named_not_a_crash(
    people: Identities, catalogue, tmp_path: Path
) -> None:
    """Excel for Mac's 'CSV (Macintosh)' ends lines with a carriage return alone."""
    path = tmp_path / "export.csv"
    path.write_bytes(b"Date/Time,Username,Client IP,URL,Action\r2025-01-06 09:30:00,alice\r")
    with pytest.raises(WeblogsError, match=r"export\.csv: line 1: "):
        _analyse(path, "smoothwall", people, catalogue)
    result = CliRunner().invoke(
        app, ["analyse", str(path), "--format", "smoothwall", *_cli_inputs(tmp_path)]
    )
    assert result.exit_code != 0
    assert "line 1: lines end in a carriage return alone" in result.output
