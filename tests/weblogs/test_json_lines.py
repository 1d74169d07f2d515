"""The CLI's JSON lines are exactly what json.dumps gives for each row."""

from __future__ import annotations

import json
from datetime import date

import pytest

from engines.weblogs.analysis import Analysis, DayUse


def _analysis(days: list[DayUse]) -> Analysis:
    return Analysis("1", "f", "squid", (), tuple(days), 0, 0, (), 0, (), 0, (), 0)


@pytest.mark.parametrize(
    ("person", "platforms"),
    [
        ("Alice Smith", (("Facebook", 3), ("YouTube", 12))),
        ("Siân O'Brien-Ng", (("X/Twitter", 1),)),
        ('Quote "Q" Back\\slash', ()),
        ("Tab\tand\nnewline", (("Ünïcödé Platform", 7), ('A "quoted" name', 2))),
        ("\u2028 line separator 😀", (("WhatsApp Web", 0),)),
    ],
)
def test_each_line_is_the_rows_json(person: str, platforms: tuple[tuple[str, int], ...]) -> None:
    days = [
        DayUse(person, date(2025, 3, 3), 120, 15, 9, 2, platforms),
        DayUse(person, date(2025, 3, 4), 1, 0, 0, 0, ()),
    ]
    analysis = _analysis(days)
    expected = "".join(json.dumps(r, separators=(",", ":")) + "\n" for r in analysis.rows())
    assert analysis.json_lines() == expected
    assert [json.loads(line) for line in analysis.json_lines().splitlines()] == analysis.rows()


def test_no_rows_is_no_text() -> None:
    assert _analysis([]).json_lines() == ""
