"""Counts of concerns by clause and school term for governors and the authority.

Numbers below five are shown as "fewer than 5" so that a small school's figures cannot
point to a person.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from boundaries.concerns.models import Concern
from boundaries.core.models import Organisation

SUPPRESS_BELOW = 5
NO_CLAUSE = "No clause linked"


def term_of(day: dt.date) -> str:
    """English school terms by month: autumn from September, spring from January, summer
    from April; the academic year is named by its two calendar years."""
    start = day.year if day.month >= 9 else day.year - 1
    year = f"{start}/{str(start + 1)[2:]}"
    if day.month >= 9:
        return f"Autumn {year}"
    if day.month <= 3:
        return f"Spring {year}"
    return f"Summer {year}"


def term_sort_key(term: str) -> tuple[int, int]:
    name, year = term.split(" ")
    return int(year[:4]), {"Autumn": 0, "Spring": 1, "Summer": 2}[name]


def shown(count: int) -> str:
    return "fewer than 5" if 0 < count < SUPPRESS_BELOW else str(count)


@dataclass(frozen=True)
class CountTable:
    terms: list[str]
    rows: list[tuple[str, list[str], str]]  # clause, shown count per term, shown total
    total: str


def counts_for(organisations: Iterable[Organisation]) -> CountTable:
    concerns = (
        Concern.objects.filter(organisation__in=list(organisations))
        .prefetch_related("clauses")
        .only("pk", "created_at")
    )
    cells: Counter[tuple[str, str]] = Counter()
    totals: Counter[str] = Counter()
    terms: set[str] = set()
    count = 0
    for concern in concerns:
        term = term_of(concern.created_at.date())
        terms.add(term)
        numbers = {c.number for c in concern.clauses.all()} or {NO_CLAUSE}
        for number in numbers:
            cells[(number, term)] += 1
            totals[number] += 1
        count += 1
    ordered_terms = sorted(terms, key=term_sort_key)
    rows = [
        (number, [shown(cells[(number, t)]) for t in ordered_terms], shown(totals[number]))
        for number in sorted(totals, key=_clause_key)
    ]
    return CountTable(ordered_terms, rows, shown(count))


def _clause_key(number: str) -> tuple[int, str]:
    return (1, number) if number == NO_CLAUSE else (0, number)
