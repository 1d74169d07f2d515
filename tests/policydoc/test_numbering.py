"""Clause numbers at the start of a line: what each style reads as, and what is prose."""

from __future__ import annotations

import pytest

from engines.policydoc.numbering import parse_marker

MARKERS = [
    ("1. PURPOSE", "1.", ("decimal:1", "arabic:1"), "PURPOSE"),
    ("1) Purpose", "1)", ("decimal:1", "arabic:1"), "Purpose"),
    ("1 PURPOSE", "1", ("decimal:1",), "PURPOSE"),
    ("4.1 Employees must", "4.1", ("decimal:4.1",), "Employees must"),
    ("4.1. Employees must", "4.1.", ("decimal:4.1",), "Employees must"),
    ("4.1.2 Staff", "4.1.2", ("decimal:4.1.2",), "Staff"),
    ("2.0 Scope", "2.0", ("decimal:2",), "Scope"),
    ("(a) keep accounts private", "(a)", ("alpha:1",), "keep accounts private"),
    ("a) keep", "a)", ("alpha:1",), "keep"),
    ("b. keep", "b.", ("alpha:2",), "keep"),
    ("(iv) That they", "(iv)", ("roman:4",), "That they"),
    ("iv) That they", "iv)", ("roman:4",), "That they"),
    ("(i) first", "(i)", ("roman:1", "alpha:9"), "first"),
    ("(v) fifth", "(v)", ("roman:5", "alpha:22"), "fifth"),
    ("(A) Upper", "(A)", ("ALPHA:1",), "Upper"),
    ("(II) Upper", "(II)", ("ROMAN:2", "ALPHA:35"), "Upper"),
    ("(1) first", "(1)", ("arabic:1",), "first"),
    ("(aa) twenty-seventh", "(aa)", ("alpha:27",), "twenty-seventh"),
]

PROSE = [
    "The school will",
    "2023 was the year",
    "01.09.2023 was the date",
    "1 September 2023",
    "10 members of staff",
    "3.5 hours a week",
    "(*In some cases employees",
    "(Given the ever-changing world",
    "(e.g. on school trips)",
    "e.g. Facebook",
    "i.e. a pupil",
    "- a bullet",
    "a.",
    "",
]


@pytest.mark.parametrize(("line", "label", "readings", "rest"), MARKERS)
def test_a_numbered_line_is_read_every_way_it_could_be(
    line: str, label: str, readings: tuple[str, ...], rest: str
) -> None:
    marker = parse_marker(line)
    assert marker is not None
    shown = tuple(f"{r.style}:{'.'.join(map(str, r.path))}" for r in marker.readings)
    assert (marker.label, shown, marker.rest) == (label, readings, rest)


@pytest.mark.parametrize("line", PROSE)
def test_prose_that_starts_with_a_number_is_not_a_clause(line: str) -> None:
    assert parse_marker(line) is None
