from __future__ import annotations

from pathlib import Path

import pytest

from engines.weblogs import analyse

SHARED = Path(__file__).resolve().parents[3] / "shared/data/logs"


@pytest.mark.skipif(not SHARED.exists(), reason="the shared third-party log samples are not here")
@pytest.mark.parametrize(
    ("name", "fmt", "lines", "unparsed", "first_bad", "bad_text"),
    [
        ("netdata-squidlog-testdata-access.log", "squid", 500, 16, 1, "Unmatched!"),
        # line 8899 is cut short in the original file: its user agent has no closing quote
        ("elastic-examples-apache_logs.combined.log", "combined", 10000, 1, 8899, "Googlebot"),
    ],
)
def test_shared_samples_parse_and_report_malformed_lines(
    name, fmt, lines, unparsed, first_bad, bad_text, catalogue, identities, calendar
):
    result = analyse(
        [SHARED / name],
        fmt=fmt,
        catalogue=catalogue,
        identities=identities,
        calendar=calendar,
        workers=1,
    )
    assert (result.lines, result.unparsed_lines) == (lines, unparsed)
    assert result.unparsed_examples[0].line == first_bad
    assert all(bad_text in u.text for u in result.unparsed_examples)
    assert result.unmapped_lines == lines - unparsed
