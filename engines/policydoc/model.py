"""The parsed policy as frozen values: what the Django side stores and renders."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

NoteKind = Literal["footnote", "quotation"]


@dataclass(frozen=True)
class PartialDate:
    """A date as precise as the document states it.

    Policies say "September 2023" as often as "01.09.2023"; inventing a day would make a
    review look due on a date nobody chose.
    """

    year: int
    month: int
    day: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} is not 1-12")
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year {self.year} is out of range")
        if self.day is not None:
            last = calendar.monthrange(self.year, self.month)[1]
            if not 1 <= self.day <= last:
                raise ValueError(f"day {self.day} is not in {self.year}-{self.month:02d}")

    @property
    def precision(self) -> Literal["day", "month"]:
        return "month" if self.day is None else "day"

    def as_date(self) -> datetime.date:
        return datetime.date(self.year, self.month, self.day or 1)

    def __str__(self) -> str:
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


@dataclass(frozen=True)
class Note:
    """Text that belongs to a clause without being its wording: a footnote or a quotation."""

    kind: NoteKind
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text}


@dataclass(frozen=True)
class Clause:
    number: str
    heading: str
    text: str
    notes: tuple[Note, ...] = ()
    children: tuple[Clause, ...] = ()

    @property
    def anchor(self) -> str:
        """A fragment id that survives in URLs: "4.1(iv)" becomes "clause-4.1-iv"."""
        slug = self.number.replace(")(", "-").replace("(", "-").replace(")", "")
        return f"clause-{slug}"

    def walk(self) -> Iterator[Clause]:
        yield self
        for child in self.children:
            yield from child.walk()

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "heading": self.heading,
            "text": self.text,
            "notes": [note.to_json() for note in self.notes],
            "children": [child.to_json() for child in self.children],
        }


@dataclass(frozen=True)
class PolicyDocument:
    title: str
    organisation: str | None
    model_title: str | None
    written: PartialDate | None
    ratified: PartialDate | None
    next_review: PartialDate | None
    adopted: PartialDate | None
    preamble: str
    clauses: tuple[Clause, ...]

    def walk(self) -> Iterator[Clause]:
        for clause in self.clauses:
            yield from clause.walk()

    def find(self, number: str) -> Clause | None:
        """The clause with this number, so the app can map stored controls to clauses."""
        return next((clause for clause in self.walk() if clause.number == number), None)

    def to_json(self) -> dict[str, Any]:
        dates = {
            "written": self.written,
            "ratified": self.ratified,
            "next_review": self.next_review,
            "adopted": self.adopted,
        }
        return {
            "title": self.title,
            "organisation": self.organisation,
            "model_title": self.model_title,
            "dates": {name: None if value is None else str(value) for name, value in dates.items()},
            "preamble": self.preamble,
            "clauses": [clause.to_json() for clause in self.clauses],
        }
