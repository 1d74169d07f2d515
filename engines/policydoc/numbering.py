"""Clause numbers as written at the start of a line: "1.", "1)", "4.1.2", "(a)", "iv)".

A label can be read more than one way ("(i)" is roman one or the ninth letter; "2)" is a
top-level clause or the second item of a list); the structure picks the reading that
continues the numbering already open.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from engines.policydoc.dates import find_date

Style = Literal["decimal", "roman", "ROMAN", "alpha", "ALPHA", "arabic"]


@dataclass(frozen=True)
class Reading:
    style: Style
    path: tuple[int, ...]
    value: str

    @property
    def ordinal(self) -> int:
        return self.path[-1]


@dataclass(frozen=True)
class Marker:
    label: str
    rest: str
    readings: tuple[Reading, ...]
    weak: bool


_ROMAN = re.compile(r"^m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}

_DECIMAL = re.compile(r"^(?P<num>\d{1,3}(?:\.\d{1,3})*)(?P<punct>[.):])?(?=\s|$)")
_PAREN = re.compile(r"^\((?P<v>[ivxlcdm]{1,7}|[a-z]{1,2}|\d{1,2})\)(?=\s|$)", re.IGNORECASE)
_CLOSE = re.compile(r"^(?P<v>[ivxlcdm]{1,7}|[a-z])\)(?=\s|$)", re.IGNORECASE)
_DOT = re.compile(r"^(?P<v>[ivxlcdm]{1,7}|[a-z])\.(?=\s)", re.IGNORECASE)


def roman_value(text: str) -> int | None:
    lower = text.lower()
    if not lower or not _ROMAN.match(lower):
        return None
    total = 0
    for index, char in enumerate(lower):
        value = _ROMAN_VALUES[char]
        following = _ROMAN_VALUES[lower[index + 1]] if index + 1 < len(lower) else 0
        total += -value if value < following else value
    return total


def to_roman(number: int) -> str:
    parts = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc")]
    parts += [(50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = ""
    for value, letters in parts:
        while number >= value:
            out += letters
            number -= value
    return out


def alpha_value(text: str) -> int | None:
    """a=1 ... z=26, then aa=27 as Word continues letter lists."""
    lower = text.lower()
    if len(lower) == 1 and lower.isalpha():
        return ord(lower) - 96
    if len(lower) == 2 and lower[0] == lower[1] and lower.isalpha():
        return 26 + ord(lower[0]) - 96
    return None


def to_alpha(number: int) -> str:
    if number <= 26:
        return chr(96 + number)
    return chr(96 + (number - 1) % 26 + 1) * ((number - 1) // 26 + 1)


def format_value(style: Style, ordinal: int) -> str:
    if style in ("roman", "ROMAN"):
        value = to_roman(ordinal)
    elif style in ("alpha", "ALPHA"):
        value = to_alpha(ordinal)
    else:
        return str(ordinal)
    return value.upper() if style.isupper() else value


def _letter_readings(value: str) -> list[Reading]:
    readings: list[Reading] = []
    upper = value.isupper()
    roman = roman_value(value)
    if roman is not None:
        readings.append(Reading("ROMAN" if upper else "roman", (roman,), value))
    alpha = alpha_value(value)
    if alpha is not None:
        readings.append(Reading("ALPHA" if upper else "alpha", (alpha,), value))
    if value != value.lower() and value != value.upper():
        return []
    return readings


def parse_marker(text: str) -> Marker | None:
    """The clause number at the start of `text`, or None when the line is plain prose."""
    text = text.strip()
    if not text:
        return None
    leading_date = find_date(text[:40])
    if leading_date is not None and leading_date.start == 0:
        return None
    match = _DECIMAL.match(text)
    if match:
        rest = text[match.end() :].strip()
        path = tuple(int(part) for part in match["num"].split("."))
        while len(path) > 1 and path[-1] == 0:
            path = path[:-1]
        if 0 in path:
            return None
        punct = match["punct"]
        single = len(path) == 1 and "." not in match["num"]
        if punct is None and rest[:1].islower():
            return None
        if punct is None and single and not rest[:1].isupper():
            return None
        if punct == ":" and not single:
            return None
        readings = [Reading("decimal", path, match["num"])]
        if single and punct in (".", ")"):
            readings.append(Reading("arabic", path, match["num"]))
        return Marker(match.group(0), rest, tuple(readings), weak=punct is None and single)
    match = _PAREN.match(text)
    if match:
        value = match["v"]
        rest = text[match.end() :].strip()
        if value.isdigit():
            return Marker(match.group(0), rest, (Reading("arabic", (int(value),), value),), False)
        readings = _letter_readings(value)
        return Marker(match.group(0), rest, tuple(readings), False) if readings else None
    for pattern, weak in ((_CLOSE, False), (_DOT, True)):
        match = pattern.match(text)
        if match:
            rest = text[match.end() :].strip()
            if not rest and weak:
                return None
            readings = _letter_readings(match["v"])
            return Marker(match.group(0), rest, tuple(readings), weak) if readings else None
    return None
