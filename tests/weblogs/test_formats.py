from __future__ import annotations

import pytest

from engines.weblogs import analyse

from .conftest import SAMPLES

ALICE = {
    "person": "Alice",
    "date": "2025-01-06",
    "requests": 3,
    "social_requests": 2,
    "social_minutes": 2,
    "blocked_social_requests": 0,
    "platforms": {"Facebook": 1, "YouTube": 1},
}


@pytest.mark.parametrize(
    ("sample", "fmt", "bob_requests", "unparsed_lines"),
    [
        ("squid.log", "squid", 2, [4, 7]),
        ("combined.log", "combined", 1, [4]),
        ("smoothwall.csv", "smoothwall", 1, [5]),
    ],
)
def test_each_format_counts_the_same_day_and_reports_bad_lines(
    sample, fmt, bob_requests, unparsed_lines, calendar, identities, catalogue
):
    result = analyse(
        [SAMPLES / sample],
        fmt=fmt,
        catalogue=catalogue,
        identities=identities,
        calendar=calendar,
        workers=1,
    )
    bob = {
        "person": "Bob",
        "date": "2025-01-06",
        "requests": bob_requests,
        "social_requests": 0,
        "social_minutes": 0,
        "blocked_social_requests": 1,
        "platforms": {},
    }
    assert result.rows() == [ALICE, bob]
    assert [u.line for u in result.unparsed_examples] == unparsed_lines
    assert result.unparsed_lines == len(unparsed_lines)


def test_csv_needs_a_mapping_and_accepts_one(calendar, identities, catalogue):
    from engines.weblogs import WeblogsError

    with pytest.raises(WeblogsError, match="column mapping"):
        analyse(
            [SAMPLES / "smoothwall.csv"],
            fmt="csv",
            catalogue=catalogue,
            identities=identities,
            calendar=calendar,
            workers=1,
        )
    result = analyse(
        [SAMPLES / "smoothwall.csv"],
        fmt="csv",
        catalogue=catalogue,
        identities=identities,
        calendar=calendar,
        workers=1,
        columns="time=Date/Time,user=Username,client=Client IP,url=URL,action=Action",
    )
    assert result.rows()[0] == ALICE


@pytest.mark.parametrize(
    ("fmt", "line"),
    [
        (
            "combined",
            '10.0.0.1 - alice [06/Jan/8045:09:31:00 +0000] "GET http://m.youtube.com/ HTTP/1.1"',
        ),
        (
            "combined",
            '10.0.0.1 - alice [06/Jan/1970:09:31:00 +0000] "GET http://m.youtube.com/ HTTP/1.1"',
        ),
    ],
)
def test_a_date_outside_1990_to_2099_is_an_unparsed_line_not_a_crash(
    tmp_path, fmt, line, calendar, identities, catalogue
):
    """Found by the fuzzer (fuzz/regressions/): a year 8045 overflowed the packed day number."""
    good = (
        '10.0.0.1 - alice [06/Jan/2025:09:30:00 +0000] "CONNECT www.facebook.com:443 HTTP/1.1"'
        ' 200 100 "-" "ua"'
    )
    log = tmp_path / "x.log"
    log.write_text(good + "\n" + line + ' 200 1 "-" "ua"\n')
    result = analyse(
        [log], fmt=fmt, catalogue=catalogue, identities=identities, calendar=calendar, workers=1
    )
    assert [u.line for u in result.unparsed_examples] == [2]
    assert [r["person"] for r in result.rows()] == ["Alice"]


def test_the_fuzzers_crashing_input_now_parses(calendar, identities, catalogue):
    from pathlib import Path

    crash = (
        Path(__file__).resolve().parents[2]
        / "fuzz"
        / "regressions"
        / "weblogs_combined-indexerror-8be3a41d.log"
    )
    result = analyse(
        [crash],
        fmt="combined",
        catalogue=catalogue,
        identities=identities,
        calendar=calendar,
        workers=1,
    )
    assert result.unparsed_lines >= 1
