from __future__ import annotations

import pytest

from boundaries.core.exports import csv_text, safe_cell


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+44 7700 900123", "'+44 7700 900123"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Helen Ashworth", "Helen Ashworth"),
        (None, ""),
        (42, "42"),
    ],
)
def test_cells_that_a_spreadsheet_would_run_are_quoted(value: object, expected: str) -> None:
    assert safe_cell(value) == expected


def test_csv_text_quotes_every_cell() -> None:
    assert csv_text(["name"], [["=1+1"]]).splitlines() == ["name", "'=1+1"]
