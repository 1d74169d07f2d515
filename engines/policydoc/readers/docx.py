"""Word documents: paragraphs and tables in order, Word's own list numbering computed,
heading and quote styles, and footnotes placed after the paragraph that cites them."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from engines.policydoc.blocks import Block, BlockKind, clean_text
from engines.policydoc.errors import DocumentError
from engines.policydoc.numbering import format_value

# A Word document is a zip archive: checked before anything in it is unpacked. Ordinary
# documents hold a few dozen entries (a few hundred with many pictures) and a few MB.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ENTRIES = 1000
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _w(name: str) -> str:
    return f"{_W}{name}"


@dataclass(frozen=True)
class _Level:
    start: int
    fmt: str
    text: str
    legal: bool


@dataclass
class _Numbering:
    """Word stores list numbers as definitions plus counters; the reader must count as
    Word does to show the numbers the school sees ("4.1", "(iv)")."""

    abstract: dict[str, dict[int, _Level]] = field(default_factory=dict)
    nums: dict[str, str] = field(default_factory=dict)
    overrides: dict[str, dict[int, int]] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)
    started: set[str] = field(default_factory=set)

    @classmethod
    def from_element(cls, root: Any) -> _Numbering:
        numbering = cls()
        for abstract in root.iter(_w("abstractNum")):
            levels: dict[int, _Level] = {}
            for lvl in abstract.iter(_w("lvl")):
                levels[int(lvl.get(_w("ilvl"), "0"))] = _Level(
                    start=int(_val(lvl, "start") or "1"),
                    fmt=_val(lvl, "numFmt") or "decimal",
                    text=_val(lvl, "lvlText") or "",
                    legal=lvl.find(_w("isLgl")) is not None,
                )
            numbering.abstract[abstract.get(_w("abstractNumId"), "")] = levels
        for num in root.iter(_w("num")):
            num_id = num.get(_w("numId"), "")
            numbering.nums[num_id] = _val(num, "abstractNumId") or ""
            for override in num.iter(_w("lvlOverride")):
                start = _val(override, "startOverride")
                if start is not None:
                    level = int(override.get(_w("ilvl"), "0"))
                    numbering.overrides.setdefault(num_id, {})[level] = int(start)
        return numbering

    def label(self, num_id: str, level: int) -> tuple[str, bool] | None:
        """The number shown for the next paragraph in this list, and whether it is a bullet."""
        abstract_id = self.nums.get(num_id)
        levels = self.abstract.get(abstract_id or "")
        if not levels or level not in levels:
            return None
        counters = self.counters.setdefault(abstract_id or "", {})
        if num_id not in self.started:
            self.started.add(num_id)
            for lvl, start in self.overrides.get(num_id, {}).items():
                counters[lvl] = start - 1
        definition = levels[level]
        counters[level] = counters.get(level, definition.start - 1) + 1
        for deeper in [lvl for lvl in counters if lvl > level]:
            del counters[deeper]
        if definition.fmt == "bullet":
            return "", True
        if definition.fmt == "none":
            return None
        text = definition.text
        for lvl in range(level, -1, -1):
            if f"%{lvl + 1}" not in text:
                continue
            shown = levels.get(lvl, definition)
            value = counters.get(lvl, shown.start)
            fmt = "decimal" if definition.legal and lvl < level else shown.fmt
            text = text.replace(f"%{lvl + 1}", _format(fmt, value))
        return text.strip(), False


def _format(fmt: str, value: int) -> str:
    styles = {"lowerRoman": "roman", "upperRoman": "ROMAN"}
    styles |= {"lowerLetter": "alpha", "upperLetter": "ALPHA"}
    style = styles.get(fmt)
    if style is not None:
        return format_value(style, value)  # type: ignore[arg-type]
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)


def _val(element: Any, name: str) -> str | None:
    child = element.find(_w(name))
    return None if child is None else child.get(_w("val"))


def _check_archive(data: bytes) -> None:
    """Refuse an archive with too many entries or too large unpacked, from its directory
    alone (zipfile never unpacks more than an entry's declared size, so the sum holds)."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ENTRIES:
                raise DocumentError(
                    f"the Word document holds {len(entries)} files, more than the "
                    f"{MAX_ENTRIES} allowed (a Word document holds a few dozen)",
                    "whole file",
                )
            unpacked = sum(info.file_size for info in entries)
            if unpacked > MAX_UNPACKED_BYTES:
                raise DocumentError(
                    f"the Word document unpacks to more than {MAX_UNPACKED_BYTES // 2**20} MB "
                    f"({unpacked // 2**20} MB)",
                    "whole file",
                )
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise DocumentError(f"the Word document is damaged ({exc})", "start of file") from None


class _DocxReader:
    def __init__(self, document: Any) -> None:
        self.document = document
        self.blocks: list[Block] = []
        self.paragraphs = 0
        self.numbering = _Numbering()
        self.footnotes: dict[str, str] = {}
        for rel in document.part.rels.values():
            if rel.is_external:
                continue
            if rel.reltype.endswith("/numbering"):
                self.numbering = _Numbering.from_element(rel.target_part.element)
            elif rel.reltype.endswith("/footnotes"):
                self.footnotes = _read_footnotes(rel.target_part.blob)

    def read(self) -> list[Block]:
        for item in self.document.iter_inner_content():
            self._content(item)
        return self.blocks

    def _content(self, item: Any) -> None:
        if hasattr(item, "rows"):
            for row in item.rows:
                seen: set[int] = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    for inner in cell.iter_inner_content():
                        self._content(inner)
        else:
            self._paragraph(item)

    def _paragraph(self, paragraph: Any) -> None:
        self.paragraphs += 1
        location = f"paragraph {self.paragraphs}"
        style = _style_name(paragraph)
        if style.startswith("toc"):
            return
        text = clean_text(paragraph.text)
        kind: BlockKind = "paragraph"
        if style.startswith("heading") or style in ("title", "subtitle"):
            kind = "heading"
        elif "quote" in style:
            kind = "quotation"
        elif style.startswith("list bullet"):
            kind = "item"
        num_id, level = _numbering_of(paragraph)
        depth = level
        if num_id is not None and num_id != "0":
            shown = self.numbering.label(num_id, level)
            if shown is not None:
                label, bullet = shown
                if bullet and kind == "paragraph":
                    kind = "item"
                elif label:
                    text = f"{label} {text}"
        if text:
            self.blocks.append(Block(text, location, kind, depth))
        for ref in paragraph._p.iter(_w("footnoteReference")):
            note = self.footnotes.get(ref.get(_w("id"), ""))
            if note:
                self.blocks.append(Block(note, location, "footnote"))


def _style_name(paragraph: Any) -> str:
    try:
        return str(paragraph.style.name or "").lower()
    except (AttributeError, KeyError, ValueError):
        return ""


def _numbering_of(paragraph: Any) -> tuple[str | None, int]:
    """numPr on the paragraph, else inherited from its style chain (heading styles often
    carry the outline numbering)."""
    ppr = paragraph._p.pPr
    num_pr = None if ppr is None else ppr.find(_w("numPr"))
    style: Any = None
    try:
        style = paragraph.style
    except (AttributeError, KeyError, ValueError):
        style = None
    hops = 0
    while num_pr is None and style is not None and hops < 10:
        spr = style.element.find(_w("pPr"))
        num_pr = None if spr is None else spr.find(_w("numPr"))
        style = style.base_style
        hops += 1
    if num_pr is None:
        return None, 0
    num_id = _val(num_pr, "numId")
    level = _val(num_pr, "ilvl")
    return num_id, int(level) if level and level.isdigit() else 0


def _read_footnotes(blob: bytes) -> dict[str, str]:
    from docx.oxml import parse_xml

    notes: dict[str, str] = {}
    for note in parse_xml(blob).iter(_w("footnote")):
        if note.get(_w("type")) in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        paragraphs = ["".join(t.text or "" for t in p.iter(_w("t"))) for p in note.iter(_w("p"))]
        text = clean_text("\n".join(paragraphs))
        if text:
            notes[note.get(_w("id"), "")] = text.replace("\n", " ")
    return notes


def read_docx(data: bytes) -> list[Block]:
    _check_archive(data)
    try:
        import docx

        document = docx.Document(BytesIO(data))
        return _DocxReader(document).read()
    except DocumentError:
        raise
    except Exception as exc:  # python-docx and lxml raise many types on damaged files
        raise DocumentError(
            f"the Word document could not be read ({type(exc).__name__}: {exc})", "start of file"
        ) from None
