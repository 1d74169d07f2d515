"""UK phone numbers however people write them: +44, 0044, 07..., spaced, dashed,
bracketed, and spelled out ("oh seven seven double oh nine hundred...") or mixed.

The text is read as runs of number-ish pieces (digit groups, number words, "double",
"hundred") joined only by separators; a run is a phone number when the digits it spells
have a UK shape. "Oh" only counts inside such a run, so "oh well" is never a number.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass

_WORD_DIGITS = {
    "zero": "0",
    "oh": "0",
    "o": "0",
    "nought": "0",
    "nil": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}
_REPEATS = {"double": 2, "triple": 3, "treble": 3}
_ZEROS = {"hundred": "00", "thousand": "000"}
_PIECE = re.compile(
    r"\+|\d+|\b(?:" + "|".join([*_WORD_DIGITS, *_REPEATS, *_ZEROS]) + r")\b", re.IGNORECASE
)
_GAP = re.compile(r"^[\s\-.,()/]*(?:and\s+)?[\s\-.,()/]*$", re.IGNORECASE)


@dataclass(frozen=True)
class PhoneNumber:
    start: int
    end: int
    digits: str


def phone_numbers(text: str) -> Iterator[PhoneNumber]:
    run: list[re.Match[str]] = []
    for piece in _PIECE.finditer(text):
        if run and not _GAP.match(text[run[-1].end() : piece.start()]):
            yield from _numbers_in(run, text)
            run = []
        run.append(piece)
    yield from _numbers_in(run, text)


def _numbers_in(run: list[re.Match[str]], text: str) -> Iterator[PhoneNumber]:
    """Read a run left to right, emitting each stretch that spells a UK number."""
    while run and run[0].group() in ("o", "O"):
        run = run[1:]
    if not run:
        return
    digits, repeat, start = "", 1, run[0].start()
    start -= text[start - 1 : start] == "("
    for piece in run:
        word = piece.group().lower()
        if word == "+":
            digits += "+" if not digits else ""
            continue
        if word in _REPEATS:
            repeat = _REPEATS[word]
            continue
        if word in _ZEROS:
            digits += _ZEROS[word]
        else:
            value = _WORD_DIGITS.get(word, word)
            digits += value[0] * repeat + value[1:]
        repeat = 1
    end = run[-1].end()
    if _uk_shaped(digits):
        yield PhoneNumber(start, end, digits)
    elif len(run) > 1:
        yield from _numbers_in(run[1:], text)


def _uk_shaped(digits: str) -> bool:
    plain = digits.lstrip("+")
    for prefix in ("0044", "44"):
        if plain.startswith(prefix) and (digits.startswith("+") or prefix == "0044"):
            rest = plain[len(prefix) :]
            rest = rest[1:] if rest.startswith("0") else rest
            return len(rest) in (9, 10) and rest[0] in "123578"
    return plain.startswith("0") and len(plain) in (10, 11) and plain[1] in "123578"
