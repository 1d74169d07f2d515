"""Dates as UK schools write them: "1st September 2023", "01.09.2023", "Sept 2023"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from engines.policydoc.model import PartialDate

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"

_PATTERNS = [
    re.compile(r"\b(?P<year>\d{4})-(?P<nmonth>\d{1,2})-(?P<day>\d{1,2})\b"),
    re.compile(r"\b(?P<day>\d{1,2})[./-](?P<nmonth>\d{1,2})[./-](?P<year>\d{4}|\d{2})\b"),
    re.compile(rf"\b{_DAY}(?:\s+of)?\s+{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(r"\b(?P<year>\d{4})-(?P<nmonth>\d{2})\b(?!-)"),
    re.compile(r"\b(?P<nmonth>\d{1,2})[/.](?P<year>\d{4})\b"),
]


@dataclass(frozen=True)
class DateMatch:
    date: PartialDate
    start: int
    end: int


def _build(match: re.Match[str]) -> PartialDate | None:
    groups = match.groupdict()
    year = int(groups["year"])
    if len(groups["year"]) == 2:
        year += 2000
    month = _MONTHS[groups["month"][:3].lower()] if groups.get("month") else int(groups["nmonth"])
    day = int(groups["day"]) if groups.get("day") else None
    try:
        return PartialDate(year, month, day)
    except ValueError:
        return None


def find_dates(text: str) -> list[DateMatch]:
    """Every date in the text, leftmost first, longest reading where readings overlap."""
    found: list[DateMatch] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            date = _build(match)
            if date is not None:
                found.append(DateMatch(date, match.start(), match.end()))
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[DateMatch] = []
    for candidate in found:
        if kept and candidate.start < kept[-1].end:
            continue
        kept.append(candidate)
    return kept


def find_date(text: str) -> DateMatch | None:
    matches = find_dates(text)
    return matches[0] if matches else None


def parse_date(text: str) -> PartialDate | None:
    """The date that is the whole of the text (punctuation and a weekday aside), or None."""
    stripped = text.strip().strip(".,;:()[]")
    stripped = re.sub(
        r"^(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?,?\s+",
        "",
        stripped,
        flags=re.IGNORECASE,
    )
    match = find_date(stripped)
    if match is None or match.start != 0 or match.end != len(stripped):
        return None
    return match.date
