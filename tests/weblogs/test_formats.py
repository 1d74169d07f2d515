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
