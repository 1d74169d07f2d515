"""Phrase lists compiled once into one case-insensitive pattern with word boundaries."""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    words: str


@dataclass(frozen=True)
class Lexicon:
    """``patterns`` are regular-expression fragments; ``not_after`` words void a hit
    ("my parents" are one's own, "the parents" are the school's)."""

    patterns: tuple[str, ...]
    not_after: frozenset[str] = frozenset()
    _compiled: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _folded: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        body = "|".join(f"(?:{p})" for p in self.patterns)
        pattern = rf"(?<![\w@])(?:{body})(?![\w@])"
        object.__setattr__(self, "_compiled", re.compile(pattern))
        object.__setattr__(self, "_folded", re.compile(pattern, re.IGNORECASE))

    def hits(self, text: str) -> Iterator[Hit]:
        """Patterns are lower case; matching a lowered copy is twice as fast as IGNORECASE,
        and offsets stay valid whenever lowering keeps the length (nearly always)."""
        lowered = text.lower()
        if len(lowered) == len(text):
            matches = self._compiled.finditer(lowered)
        else:
            matches = self._folded.finditer(text)
        for match in matches:
            if self.not_after and _previous_word(text, match.start()) in self.not_after:
                continue
            yield Hit(match.start(), match.end(), text[match.start() : match.end()])

    def first(self, text: str) -> Hit | None:
        return next(self.hits(text), None)


def lexicon(patterns: Iterable[str], not_after: Iterable[str] = ()) -> Lexicon:
    return Lexicon(tuple(patterns), frozenset(not_after))


_PREVIOUS = re.compile(r"([\w'\u2019-]+)\W*$")


def _previous_word(text: str, position: int) -> str:
    match = _PREVIOUS.search(text[max(0, position - 30) : position])
    return match.group(1).lower() if match else ""
