"""Plain text and Markdown, including the HTML fragments that pasting from the web leaves."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from engines.policydoc.blocks import Block, BlockKind, clean_text, looks_like_heading
from engines.policydoc.errors import DocumentError
from engines.policydoc.markup import html_to_paragraphs, reduce_inline
from engines.policydoc.numbering import parse_marker

_HTML_START = re.compile(
    r"^<(?:p|div|ul|ol|li|table|tr|td|th|tbody|thead|blockquote|h[1-6]|br|hr|i|b|em|strong"
    r"|span|section|article|font)\b",
    re.IGNORECASE,
)
_RULE = re.compile(r"^[-*_=|:+\u2013\u2014 ]{3,}$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
_BULLET = re.compile(r"^([-*+\u2022\u25aa\u25e6\u25cf\u25a0\u2023\u2013])\s+(.*)$")
_QUOTE = re.compile(r"^>\s?(.*)$")
_TOC = re.compile(r"(?:\.{4,}|\t)\s*\d{1,3}$")


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, which Word's "Save as text" writes."""
    if b"\x00" in data[:4096]:
        offset = data.index(b"\x00")
        line = data[:offset].count(b"\n") + 1
        raise DocumentError("this is binary data, not a text document", f"line {line}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DocumentError(
            f"the text is neither UTF-8 nor Windows-1252 (byte {exc.object[exc.start]:#04x})",
            f"line {line}",
        ) from None


@dataclass
class _Pending:
    kind: BlockKind
    line: int
    depth: int = 0
    lines: list[str] = field(default_factory=list)


class _TextReader:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.pending: _Pending | None = None
        self.html: list[str] = []
        self.html_line = 0

    def flush(self) -> None:
        pending, self.pending = self.pending, None
        if pending is None:
            return
        text = clean_text(reduce_inline("\n".join(pending.lines)))
        if text:
            location = f"line {pending.line}"
            self.blocks.append(Block(text, location, pending.kind, pending.depth))

    def flush_html(self) -> None:
        if not self.html:
            return
        paragraphs, quoted = html_to_paragraphs("\n".join(self.html))
        self.html = []
        previous = self.blocks[-1].text if self.blocks else ""
        quoted = quoted or bool(re.search(r":\s*[-\u2013]?$", previous))
        for paragraph in paragraphs:
            text = clean_text(paragraph)
            if not text:
                continue
            kind: BlockKind = "quotation" if quoted else "paragraph"
            if not quoted and text.startswith("- "):
                kind, text = "item", text[2:]
            self.blocks.append(Block(text, f"line {self.html_line}", kind))

    def start(self, kind: BlockKind, line: int, depth: int, text: str) -> None:
        self.flush()
        self.pending = _Pending(kind, line, depth, [text])

    def feed(self, number: int, raw: str) -> None:
        expanded = raw.expandtabs(4).rstrip()
        stripped = expanded.strip()
        indent = len(expanded) - len(expanded.lstrip())
        depth = 0 if indent == 0 else 1 + indent // 4
        if self.html:
            if stripped and not _RULE.match(expanded.strip()):
                self.html.append(stripped)
                return
            self.flush_html()
        if not stripped:
            self.flush()
            return
        if _HTML_START.match(stripped):
            self.flush()
            self.html, self.html_line = [stripped], number
            return
        if _RULE.match(stripped) or _TOC.search(raw):
            self.flush()
            return
        self._feed_line(number, stripped, depth)

    def _feed_line(self, number: int, stripped: str, depth: int) -> None:
        if stripped.startswith("|") and stripped.endswith("|"):
            for cell in stripped.strip("|").split("|"):
                self.start("paragraph", number, 0, cell.strip())
            self.flush()
            return
        heading = _HEADING.match(stripped)
        if heading:
            self.start("heading", number, 0, heading[2])
            self.flush()
            return
        quote = _QUOTE.match(stripped)
        if quote:
            if not quote[1].strip():
                self.flush()
            elif self.pending is not None and self.pending.kind == "quotation":
                self.pending.lines.append(quote[1])
            else:
                self.start("quotation", number, 0, quote[1])
            return
        bullet = _BULLET.match(stripped)
        if bullet:
            self.start("item", number, depth, bullet[2])
            return
        marker = parse_marker(reduce_inline(stripped))
        if marker is not None:
            self.start("paragraph", number, depth, stripped)
            if looks_like_heading(reduce_inline(marker.rest)):
                self.flush()
            return
        if self.pending is None or self.pending.kind == "quotation":
            self.start("paragraph", number, depth, stripped)
        else:
            self.pending.lines.append(stripped)

    def finish(self) -> list[Block]:
        self.flush_html()
        self.flush()
        return self.blocks


def read_text(data: bytes) -> list[Block]:
    reader = _TextReader()
    for number, line in enumerate(decode(data).splitlines(), start=1):
        reader.feed(number, line)
    return reader.finish()
