"""PDFs: lines rebuilt from positioned text, running heads, feet and page numbers dropped,
and wrapped lines joined back into paragraphs by their spacing."""

from __future__ import annotations

import itertools
import re
import statistics
import warnings
from collections import Counter
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from engines.policydoc.blocks import Block, BlockKind, clean_text
from engines.policydoc.errors import DocumentError
from engines.policydoc.numbering import parse_marker

_MAX_PAGES = 500
_BAND = 0.1
_PAGE_NUMBER = re.compile(
    r"^(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$|^[-\u2013]\s*\d{1,4}\s*[-\u2013]$",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^[\u2022\u25aa\u25e6\u25cf\u25a0\u2023\u2013\u00b7\-]\s+")


@dataclass(frozen=True)
class _Line:
    page: int
    number: int
    x0: float
    top: float
    bottom: float
    text: str
    bold: bool
    band: bool


def _text_lines(layout: Any) -> list[Any]:
    from pdfminer.layout import LTTextLine

    found: list[Any] = []
    stack = [layout]
    while stack:
        element = stack.pop()
        if isinstance(element, LTTextLine):
            found.append(element)
        elif hasattr(element, "__iter__"):
            stack.extend(list(element))
    return found


def _is_bold(line: Any) -> bool:
    from pdfminer.layout import LTChar

    fonts = [ch.fontname for ch in line if isinstance(ch, LTChar) and ch.get_text().strip()]
    return bool(fonts) and all("bold" in str(name).lower() for name in fonts)


def _page_lines(page_number: int, page: Any) -> list[_Line]:
    """Text lines top to bottom; pieces on one baseline (a number, a tab, a heading) join."""
    height = float(page.height) or 1.0
    raw = sorted(_text_lines(page), key=lambda ln: (-round(ln.y0), ln.x0))
    rows: list[list[Any]] = []
    for line in raw:
        if rows and abs(rows[-1][0].y0 - line.y0) < 2.5:
            rows[-1].append(line)
        else:
            rows.append([line])
    lines: list[_Line] = []
    for row in rows:
        row.sort(key=lambda ln: ln.x0)
        text = clean_text(" ".join(piece.get_text() for piece in row)).replace("\n", " ")
        if not text:
            continue
        top = max(piece.y1 for piece in row)
        bottom = min(piece.y0 for piece in row)
        band = top > height * (1 - _BAND) or bottom < height * _BAND
        bold = all(_is_bold(piece) for piece in row)
        lines.append(_Line(page_number, len(lines) + 1, row[0].x0, top, bottom, text, bold, band))
    return lines


def _drop_running_text(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Headers and footers repeat from page to page (with the page number changing);
    page numbers stand alone at the top or foot."""

    def key(line: _Line) -> str:
        return re.sub(r"\d+", "#", line.text.lower())

    repeats = Counter(found for page in pages for found in {key(ln) for ln in page if ln.band})
    threshold = 2 if len(pages) > 1 else 10**9
    return [
        [
            ln
            for ln in page
            if not (ln.band and (_PAGE_NUMBER.match(ln.text) or repeats[key(ln)] >= threshold))
        ]
        for page in pages
    ]


def _paragraphs(pages: list[list[_Line]]) -> list[Block]:
    lines = [ln for page in pages for ln in page]
    if not lines:
        return []
    gaps = [
        prev.bottom - cur.top
        for page in pages
        for prev, cur in itertools.pairwise(page)
        if prev.bottom - cur.top > -1
    ]
    usual = statistics.median(gaps) if gaps else 0.0
    margin = min(ln.x0 for ln in lines)
    blocks: list[Block] = []
    current: list[_Line] = []
    kind: BlockKind = "paragraph"

    def flush() -> None:
        if current:
            text = "\n".join(ln.text for ln in current)
            depth = 1 if current[0].x0 - margin > 12 else 0
            block_kind: BlockKind = (
                "heading" if kind == "paragraph" and all(ln.bold for ln in current) else kind
            )
            location = f"page {current[0].page}, line {current[0].number}"
            blocks.append(Block(text, location, block_kind, depth))
        current.clear()

    for line in lines:
        text = line.text
        bullet = _BULLET.match(text)
        previous = current[-1] if current else None
        starts = (
            previous is None
            or previous.page != line.page
            or previous.bottom - line.top > usual + 3
            or bullet is not None
            or parse_marker(text) is not None
            or previous.bold != line.bold
        )
        if starts:
            flush()
            kind = "item" if bullet else "paragraph"
        if bullet:
            text = text[bullet.end() :]
        current.append(
            _Line(
                line.page, line.number, line.x0, line.top, line.bottom, text, line.bold, line.band
            )
        )
    flush()
    return blocks


def read_pdf(data: bytes) -> list[Block]:
    try:
        from pdfminer.high_level import extract_pages
        from pdfminer.layout import LAParams

        pages: list[list[_Line]] = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for number, page in enumerate(
                extract_pages(BytesIO(data), laparams=LAParams(), maxpages=_MAX_PAGES), start=1
            ):
                pages.append(_page_lines(number, page))
    except DocumentError:
        raise
    except Exception as exc:  # pdfminer raises many types (PSEOF, PDFSyntaxError, ...)
        name = type(exc).__name__
        if "Encrypt" in name or "Password" in name:
            raise DocumentError(
                "the PDF is password-protected; save an unprotected copy", "start of file"
            ) from None
        raise DocumentError(f"the PDF could not be read ({name}: {exc})", "start of file") from None
    if not any(pages):
        raise DocumentError(
            "the PDF has no text layer (a scanned image?); export it from the word processor",
            "page 1",
        )
    return _paragraphs(_drop_running_text(pages))
