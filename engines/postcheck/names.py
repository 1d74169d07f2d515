"""Finding people in a post: roster names as people write them, and other personal names.

Roster names match case-insensitively, with possessives, preferred names and aliases,
full names and title-plus-surname forms. A first name or alias shared by two roster
people is reported as ambiguous, never silently given to one of them. Names that are
also ordinary words ("Grace", "Will") match alone only when capitalised.
"""

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from engines.postcheck.context import Context, Person

_WORDLISTS = Path(__file__).parent / "wordlists"


def _wordlist(name: str) -> frozenset[str]:
    return frozenset((_WORDLISTS / name).read_text(encoding="utf-8").split())


TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "councillor", "cllr", "mister"})
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'\u2019\-]*")
_POSSESSIVE = re.compile(r"(?:['\u2019]s|['\u2019])$", re.IGNORECASE)
_SENTENCE_START = re.compile(r"(?:^|[.!?\n])\W*$")
_CAPITALISED = re.compile(r"^[A-Z][a-z]+(?:[-'\u2019][A-Z]?[a-z]+)*$")
WORD_NAMES = _wordlist("names_that_are_words.txt")
NOT_NAMES = _wordlist("capitalised_non_names.txt")


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    raw: str
    key: str


@dataclass(frozen=True)
class Mention:
    """A stretch of text naming someone; ``people`` empty means a name not on the roster."""

    start: int
    end: int
    people: tuple[Person, ...]

    @property
    def ambiguous(self) -> bool:
        return len(self.people) > 1

    @property
    def on_roster(self) -> bool:
        return bool(self.people)

    def roles(self) -> frozenset[str]:
        return frozenset(p.role for p in self.people)


def tokenise(text: str) -> list[Token]:
    tokens = []
    for match in _TOKEN.finditer(text):
        raw = match.group()
        key = raw.lower()
        if "'" in key or "\u2019" in key:
            key = _POSSESSIVE.sub("", key).replace("\u2019", "'")
        tokens.append(Token(match.start(), match.end(), raw, key))
    return tokens


class NameIndex:
    """Every written form of every roster name, keyed by its lower-case token sequence."""

    def __init__(self, context: Context) -> None:
        forms: dict[tuple[str, ...], set[Person]] = defaultdict(set)
        for person in context.people:
            for form in _forms(person):
                forms[form].add(person)
        self._forms = {k: tuple(sorted(v, key=lambda p: p.name)) for k, v in forms.items()}
        self._longest = max((len(k) for k in self._forms), default=1)
        self._first_words = frozenset(k[0] for k in self._forms)
        org_words = " ".join((context.organisation.name, *context.organisation.aliases))
        self._org_words = frozenset(t.key for t in tokenise(org_words))

    def roster_mentions(self, text: str, tokens: list[Token]) -> list[Mention]:
        found, i = [], 0
        while i < len(tokens):
            if tokens[i].key not in self._first_words:
                i += 1
                continue
            for n in range(min(self._longest, len(tokens) - i), 0, -1):
                window = tokens[i : i + n]
                people = self._forms.get(tuple(t.key for t in window))
                if people and (n > 1 or _standalone_ok(window[0], text)):
                    found.append(Mention(window[0].start, window[-1].end, people))
                    i += n
                    break
            else:
                i += 1
        return found

    def other_names(self, text: str, tokens: list[Token], taken: list[Mention]) -> list[Mention]:
        """Capitalised personal names not on the roster: a title and a name, two or three
        capitalised words, or a capitalised word in mid-sentence."""
        busy = {i for m in taken for i in range(m.start, m.end)}
        found: list[Mention] = []
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if token.start in busy or not self._could_be_name(token, tokens, i, text):
                i += 1
                continue
            j = i + 1
            while j < len(tokens) and j - i < 3 and self._is_name_word(tokens[j]):
                if text[tokens[j - 1].end : tokens[j].start] != " ":
                    break
                j += 1
            found.append(Mention(token.start, tokens[j - 1].end, ()))
            i = j
        return found

    def _is_name_word(self, token: Token) -> bool:
        return (
            token.raw[:1].isupper()
            and bool(_CAPITALISED.match(_POSSESSIVE.sub("", token.raw)))
            and token.key not in NOT_NAMES
            and token.key not in self._org_words
        )

    def _could_be_name(self, token: Token, tokens: list[Token], i: int, text: str) -> bool:
        if token.key in TITLES and i + 1 < len(tokens) and self._is_name_word(tokens[i + 1]):
            return True
        if not self._is_name_word(token):
            return False
        starts_sentence = bool(_SENTENCE_START.search(text[: token.start]))
        followed_by_name = i + 1 < len(tokens) and self._is_name_word(tokens[i + 1])
        return followed_by_name or not starts_sentence


def _standalone_ok(token: Token, text: str) -> bool:
    """A name that is also a word counts alone only when capitalised and either
    possessive or mid-sentence ("Grace before meals" is not a pupil)."""
    if token.key not in WORD_NAMES:
        return True
    possessive = token.key != token.raw.lower()
    return token.raw[:1].isupper() and (
        possessive or not _SENTENCE_START.search(text[: token.start])
    )


def _forms(person: Person) -> set[tuple[str, ...]]:
    full = tuple(t.key for t in tokenise(person.name))
    forms = {full}
    first, last = full[0], full[-1]
    forms.add((first,))
    if len(full) > 1:
        forms.add((first, last))
        if person.role in ("staff", "parent"):
            forms.update((title, last) for title in TITLES)
    for alias in person.aliases:
        alias_tokens = tuple(t.key for t in tokenise(alias))
        forms.add(alias_tokens)
        if len(alias_tokens) == 1 and len(full) > 1:
            forms.add((*alias_tokens, last))
    return forms
