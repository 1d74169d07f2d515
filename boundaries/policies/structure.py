"""The plain shape a version's clauses are built from, whatever their source.

An imported document (engines.policydoc), the shipped model structure and an existing
version all become `ClauseInput` trees before the `create_version` action stores them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol


class NoteLike(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def text(self) -> str: ...


@dataclass
class ClauseInput:
    number: str
    heading: str = ""
    text: str = ""
    notes: list[tuple[str, str]] = field(default_factory=list)
    children: list[ClauseInput] = field(default_factory=list)
    controls: list[str] = field(default_factory=list)
    conflicts: list[dict[str, str]] = field(default_factory=list)

    def walk(self) -> Iterator[ClauseInput]:
        yield self
        for child in self.children:
            yield from child.walk()

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "heading": self.heading,
            "text": self.text,
            "notes": [{"kind": kind, "text": text} for kind, text in self.notes],
            "children": [child.to_json() for child in self.children],
        }


def from_document_clause(clause: Any) -> ClauseInput:
    """Convert an engines.policydoc Clause (or anything shaped like one)."""
    return ClauseInput(
        number=clause.number,
        heading=clause.heading or "",
        text=clause.text or "",
        notes=[(note.kind, note.text) for note in clause.notes],
        children=[from_document_clause(child) for child in clause.children],
    )


def walk_all(roots: list[ClauseInput]) -> Iterator[ClauseInput]:
    for root in roots:
        yield from root.walk()
