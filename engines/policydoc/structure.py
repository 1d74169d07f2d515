"""Blocks to the clause tree: numbering checked, wrapped text rejoined, notes attached."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from engines.policydoc.blocks import Block, ends_sentence, join_lines, looks_like_heading
from engines.policydoc.errors import DocumentError
from engines.policydoc.model import Clause, Note, NoteKind
from engines.policydoc.numbering import Marker, Reading, Style, format_value, parse_marker

MAX_DEPTH = 8
_FOOTNOTE = re.compile(r"^\(?\s*(?P<sym>\*{1,3}|[\u2020\u2021\u00a7]|\[\d{1,2}\])\s*(?=\S)")


@dataclass
class _Node:
    number: str
    heading: str = ""
    text: str = ""
    notes: list[list[str]] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)
    decimal: tuple[int, ...] | None = None
    style: Style | None = None
    ordinal: int = 0
    maybe_heading: bool = False

    def settle_heading(self) -> None:
        """A short unpunctuated line after a number ("2. Who this covers") is a heading once
        body text or sub-clauses follow it; alone, it stays the clause's wording."""
        if self.maybe_heading:
            self.heading, self.text, self.maybe_heading = self.text, "", False

    def append(self, part: str, *, item: bool) -> None:
        if self.maybe_heading and (item or not part[:1].islower()):
            self.settle_heading()
        self.maybe_heading = False
        if item:
            part = f"- {part}"
        if not self.text:
            self.text = part
        elif not item and part[:1].islower() and not ends_sentence(self.text):
            self.text += " " + part
        else:
            self.text += ("\n" if item else "\n\n") + part

    def add_note(self, kind: NoteKind, text: str, *, merge: bool) -> None:
        if merge and self.notes and self.notes[-1][0] == kind:
            joiner = "\n" if text.startswith("- ") else "\n\n"
            self.notes[-1][1] += joiner + text
        else:
            self.notes.append([kind, text])

    def walk(self) -> Iterator[_Node]:
        yield self
        for child in self.children:
            yield from child.walk()

    def freeze(self) -> Clause:
        return Clause(
            number=self.number,
            heading=self.heading,
            text=self.text,
            notes=tuple(Note(kind, text) for kind, text in self.notes),  # type: ignore[arg-type]
            children=tuple(child.freeze() for child in self.children),
        )


def footnote_symbol(text: str) -> str | None:
    match = _FOOTNOTE.match(text)
    return match["sym"] if match else None


def _refers_to(text: str, symbol: str) -> bool:
    if symbol.startswith("*"):
        star = re.escape(symbol)
        return re.search(rf"(?<=\w){star}(?!\*)|(?<![\w*]){star}(?=\w)", text) is not None
    return symbol in text


def _strip_mark(text: str, symbol: str | None) -> str:
    """`(*In some cases ...)` -> `In some cases ...`: the mark links, it is not wording."""
    body = text.strip()
    if symbol and body.startswith("(" + symbol) and body.endswith(")"):
        return body[len(symbol) + 1 : -1].strip()
    if symbol and body.startswith(symbol):
        return body[len(symbol) :].strip()
    return body


class _Builder:
    def __init__(self) -> None:
        self.root = _Node(number="", decimal=())
        self.stack: list[_Node] = [self.root]
        self._last_quote = False

    @property
    def current(self) -> _Node:
        return self.stack[-1]

    def _decimal_index(self) -> int:
        return max(i for i, node in enumerate(self.stack) if node.decimal is not None)

    def fit(self, marker: Marker, depth: int) -> tuple[int, Reading] | None:
        """Where the marker continues the numbering: (index of its parent on the stack,
        the reading used), or None when it fits nowhere."""
        lists = [r for r in marker.readings if r.style != "decimal"]
        for reading in lists:
            for index in range(len(self.stack) - 1, 0, -1):
                node = self.stack[index]
                if node.style == reading.style and node.ordinal + 1 == reading.ordinal:
                    return index - 1, reading
        cur_index = self._decimal_index()
        cur = self.stack[cur_index].decimal or ()
        for reading in marker.readings:
            if reading.style != "decimal":
                continue
            path = reading.path
            if path == (*cur, 1):
                return cur_index, reading
            size = len(path)
            sibling = 1 <= size <= len(cur) and path[:-1] == cur[: size - 1]
            if sibling and path[-1] == cur[size - 1] + 1:
                parent = next(i for i, n in enumerate(self.stack) if n.decimal == path[:-1])
                return parent, reading
        for reading in lists:
            nested_ok = reading.style != "arabic" or depth > 0 or marker.label.startswith("(")
            if reading.ordinal == 1 and nested_ok:
                return len(self.stack) - 1, reading
        return None

    def expected(self) -> str:
        cur_index = self._decimal_index()
        cur = self.stack[cur_index].decimal or ()
        if not cur:
            return "clause 1"
        options = [f"clause {'.'.join(map(str, (*cur[:-1], cur[-1] + 1)))}"]
        top = self.current
        if top.style is not None:
            parent = self.stack[-2].number
            label = format_value(top.style, top.ordinal + 1)
            options.append(f"item ({label}) of {parent}" if parent else f"item ({label})")
        options.append(f"a sub-clause of {top.number}")
        return ", ".join(options[:-1]) + " or " + options[-1]

    def open_clause(self, parent_index: int, reading: Reading) -> _Node:
        del self.stack[parent_index + 1 :]
        parent = self.stack[-1]
        parent.settle_heading()
        if reading.style == "decimal":
            node = _Node(number=".".join(map(str, reading.path)), decimal=reading.path)
        else:
            value = reading.value
            number = f"{parent.number}({value})" if parent.number else value
            node = _Node(number=number, style=reading.style, ordinal=reading.ordinal)
        parent.children.append(node)
        self.stack.append(node)
        return node

    def add(self, block: Block) -> None:
        quote = block.kind == "quotation"
        try:
            if quote:
                self.current.add_note("quotation", join_lines(block.text), merge=self._last_quote)
            elif block.kind == "footnote" or (
                block.kind == "paragraph" and footnote_symbol(block.text)
            ):
                self._add_footnote(join_lines(block.text))
            else:
                self._add_text(block)
        finally:
            self._last_quote = quote

    def _add_footnote(self, text: str) -> None:
        symbol = footnote_symbol(text)
        target = self.current
        if symbol is not None:
            scopes = [self.stack[1], self.root] if len(self.stack) > 1 else [self.root]
            for scope in scopes:
                found = [
                    n for n in scope.walk() if n is not self.root and _refers_to(n.text, symbol)
                ]
                if found:
                    target = found[-1]
                    break
        target.add_note("footnote", _strip_mark(text, symbol), merge=False)

    def _add_text(self, block: Block) -> None:
        lines = block.text.split("\n")
        marker = parse_marker(lines[0])
        if marker is None:
            self.current.append(join_lines(block.text), item=block.kind == "item")
            return
        placed = self.fit(marker, block.depth)
        if placed is None:
            if marker.weak:
                self.current.append(join_lines(block.text), item=block.kind == "item")
                return
            raise DocumentError(
                f"expected {self.expected()}, found '{marker.label.rstrip('.:')}'", block.location
            )
        if placed[0] + 1 > MAX_DEPTH:
            raise DocumentError(
                f"clauses are nested more than {MAX_DEPTH} levels deep", block.location
            )
        node = self.open_clause(*placed)
        rest, remainder = marker.rest, lines[1:]
        is_decimal = placed[1].style == "decimal"
        headed = block.kind == "heading" or looks_like_heading(rest, title_case=is_decimal)
        if rest and headed and not (remainder and remainder[0][:1].islower()):
            node.heading = rest
            body = join_lines("\n".join(remainder))
        else:
            body = join_lines("\n".join([rest, *remainder]))
        if body:
            node.append(body, item=False)
        words = body.split()
        node.maybe_heading = (
            is_decimal
            and not remainder
            and not node.heading
            and 0 < len(words) <= 8
            and body[:1].isupper()
            and not ends_sentence(body)
            and not body.endswith((",", "-"))
        )


def first_clause_index(blocks: Sequence[Block]) -> int | None:
    """Where clause 1 starts: everything before it is the title, dates and preamble."""
    probe = _Builder()
    for index, block in enumerate(blocks):
        if block.kind in ("quotation", "footnote"):
            continue
        marker = parse_marker(block.text.split("\n")[0])
        placed = None if marker is None else probe.fit(marker, block.depth)
        if (
            marker is not None
            and placed is not None
            and (not marker.weak or placed[1].style == "decimal")
        ):
            return index
    return None


def build_clauses(blocks: Sequence[Block]) -> tuple[Clause, ...]:
    builder = _Builder()
    for block in blocks:
        builder.add(block)
    return tuple(child.freeze() for child in builder.root.children)
