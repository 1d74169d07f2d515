"""The reader-neutral form of a document: a sequence of blocks with their locations.

Every reader (text, DOCX, PDF) reduces its format to these blocks, so the clause
structure and the front matter are worked out once, the same way for every format.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Literal

BlockKind = Literal["paragraph", "heading", "item", "quotation", "footnote"]


@dataclass(frozen=True)
class Block:
    """One paragraph-like piece of the source.

    `text` keeps the source's soft line breaks as "\\n" (the title block needs them);
    `depth` is list indentation (0 = flush left), used to tell a nested list from a clause.
    An "item" is a bulleted line; numbered lines stay paragraphs with the number as text.
    """

    text: str
    location: str
    kind: BlockKind = "paragraph"
    depth: int = 0

    def with_text(self, text: str) -> Block:
        return replace(self, text=text)


_LIGATURES = str.maketrans(
    {
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\ufb05": "st",
        "\ufb06": "st",
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\u00ad": None,
        "\u200b": None,
        "\ufeff": None,
        "\t": " ",
    }
)


def clean_text(text: str) -> str:
    """Unicode that compares and searches predictably, whatever produced it."""
    text = unicodedata.normalize("NFC", text).translate(_LIGATURES)
    text = "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch)[0] != "C")
    lines = [re.sub(r" {2,}", " ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def join_lines(text: str) -> str:
    """Soft line breaks become spaces; a word hyphenated at a line end is closed up."""
    parts = [line.strip() for line in text.split("\n") if line.strip()]
    if not parts:
        return ""
    joined = parts[0]
    for part in parts[1:]:
        if re.search(r"[A-Za-z]-$", joined) and part[:1].islower():
            joined += part
        else:
            joined += " " + part
    return joined


_MINOR_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "within",
        "via",
        "per",
        "its",
        "their",
        "our",
    ]
)


def looks_like_heading(text: str, *, title_case: bool = True) -> bool:
    """Short, unpunctuated, and in capitals (or Title Case): "PURPOSE", "Scope of the Policy".

    Sentence case is refused on purpose: "3.1 The use of social" is a clause whose wording
    wrapped, not a heading.
    """
    words = text.split()
    if not 1 <= len(words) <= 12 or text[-1] in ".;:,!?-":
        return False
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < 2:
        return False
    if all(ch.isupper() for ch in letters):
        return True
    if not title_case or not words[0][0].isupper():
        return False
    return all(
        not word[0].isalpha() or word[0].isupper() or word.lower() in _MINOR_WORDS for word in words
    )


def ends_sentence(text: str) -> bool:
    """Whether text ends where a paragraph may end, so that a next block in lower case
    that follows an unfinished one is known to be the same sentence broken by a page."""
    return re.search(r"[.!?:;][\"'\u201d\u2019)\]]*-?$", text.rstrip()) is not None
