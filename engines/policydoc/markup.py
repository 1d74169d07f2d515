"""Markdown and HTML reduced to the plain text a clause carries.

Schools paste policies from websites and word processors, so one "text" file can mix
Markdown emphasis, links and HTML fragments. The clause text keeps the words only.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.{1,1000}?)(?<=\S)\1", re.DOTALL)
_STAR = re.compile(r"(?<![\w*\\])\*(?=[^\s*])(.{1,1000}?)(?<=[^\s*\\])\*(?![\w*])", re.DOTALL)
_UNDERSCORE = re.compile(r"(?<![\w\\])_(?=\S)(.{1,1000}?)(?<=\S)_(?!\w)", re.DOTALL)
_CODE = re.compile(r"`([^`\n]+)`")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>|])")


def reduce_inline(text: str) -> str:
    """Emphasis, links, code spans and inline tags reduced to their text.

    A lone asterisk survives: policies use it as a footnote mark ("with *parents").
    """
    text = _LINK.sub(r"\1", text)
    text = _CODE.sub(r"\1", text)
    for _ in range(3):
        reduced = _UNDERSCORE.sub(r"\1", _STAR.sub(r"\1", _STRONG.sub(r"\2", text)))
        if reduced == text:
            break
        text = reduced
    text = _TAG.sub("", text)
    text = _ESCAPE.sub(r"\1", text)
    return html.unescape(text)


_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "table",
        "tbody",
        "thead",
        "blockquote",
        "section",
        "article",
        "br",
        "hr",
        "td",
        "th",
        "ul",
        "ol",
    ]
)
_BULLETS = re.compile(r"[\u25aa\u2022\u25e6\u25cf\u25a0\u2023\u2043\u25ab\u25a1\u00b7]")


class _Flattener(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.quoted = False
        self._buffer: list[str] = []
        self._item = False
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "blockquote":
            self.quoted = True
        if tag == "li":
            self.flush()
            self._item = True
        elif tag in _BLOCK_TAGS:
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        if tag in _BLOCK_TAGS or tag == "li":
            self.flush()

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        for index, piece in enumerate(_BULLETS.split(data)):
            if index:
                self.flush()
                self._item = True
            self._buffer.append(piece)

    def flush(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self._buffer)).strip()
        if text:
            self.paragraphs.append(f"- {text}" if self._item else text)
        self._buffer = []
        self._item = False


def html_to_paragraphs(fragment: str) -> tuple[list[str], bool]:
    """Paragraphs of an HTML fragment (list items as "- " lines) and whether it was a
    <blockquote>. Tolerates the unclosed, tag-soup fragments that copy and paste leaves."""
    parser = _Flattener()
    try:
        parser.feed(fragment)
        parser.close()
    except (AssertionError, ValueError):
        pass
    parser.flush()
    return [reduce_inline(p) for p in parser.paragraphs], parser.quoted
