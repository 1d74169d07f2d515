"""Dates as UK schools write them, one row per way of writing."""

from __future__ import annotations

import datetime

import pytest

from engines.policydoc import PartialDate, parse_date

DATES = [
    ("1st September 2023", PartialDate(2023, 9, 1)),
    ("01/09/2023", PartialDate(2023, 9, 1)),
    ("01.09.2023", PartialDate(2023, 9, 1)),
    ("1-9-2023", PartialDate(2023, 9, 1)),
    ("01/09/23", PartialDate(2023, 9, 1)),
    ("1 Sept 2023", PartialDate(2023, 9, 1)),
    ("1 Sep. 2023", PartialDate(2023, 9, 1)),
    ("22nd of November 2023", PartialDate(2023, 11, 22)),
    ("Friday 1st September 2023", PartialDate(2023, 9, 1)),
    ("September 1, 2023", PartialDate(2023, 9, 1)),
    ("September 2023", PartialDate(2023, 9)),
    ("sept 2023", PartialDate(2023, 9)),
    ("(JUNE 2023)", PartialDate(2023, 6)),
    ("2023-09-01", PartialDate(2023, 9, 1)),
    ("2023-09", PartialDate(2023, 9)),
    ("09/2023", PartialDate(2023, 9)),
    ("31/02/2023", None),
    ("13/13/2023", None),
    ("Autumn term 2023", None),
    ("annually", None),
    ("1 September", None),
    ("", None),
]


@pytest.mark.parametrize(("text", "expected"), DATES)
def test_a_date_is_read_as_precisely_as_it_is_written(
    text: str, expected: PartialDate | None
) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("date", "shown", "precision", "as_date"),
    [
        (PartialDate(2023, 9), "2023-09", "month", datetime.date(2023, 9, 1)),
        (PartialDate(2023, 9, 1), "2023-09-01", "day", datetime.date(2023, 9, 1)),
        (PartialDate(2024, 2, 29), "2024-02-29", "day", datetime.date(2024, 2, 29)),
    ],
)
def test_a_partial_date_shows_its_precision(
    date: PartialDate, shown: str, precision: str, as_date: datetime.date
) -> None:
    assert (str(date), date.precision, date.as_date()) == (shown, precision, as_date)


@pytest.mark.parametrize(("year", "month", "day"), [(2023, 13, None), (2023, 2, 29), (0, 1, 1)])
def test_an_impossible_partial_date_cannot_be_made(year: int, month: int, day: int | None) -> None:
    with pytest.raises(ValueError, match="is"):
        PartialDate(year, month, day)
