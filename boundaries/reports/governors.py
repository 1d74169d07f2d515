"""The governors' report is made of sections that features register: counts only.

A section is `func(organisation, today) -> list[Line]`. Numbers below five are shown as
"fewer than 5" so that no count points to a person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from boundaries.core.models import Organisation

SMALL = 5


def shown(count: int | None) -> str:
    if count is None:
        return "Not measured"
    if 0 < count < SMALL:
        return "fewer than 5"
    return str(count)


@dataclass(frozen=True)
class Line:
    label: str
    count: int | None = None
    percent: int | None = None
    text: str = ""

    @property
    def value(self) -> str:
        if self.text:
            return self.text
        if self.percent is not None:
            return (
                f"{self.percent}% ({shown(self.count)} people)"
                if self.count is not None
                else f"{self.percent}%"
            )
        return shown(self.count)


Section = Callable[[Organisation, dt.date], list[Line]]
_SECTIONS: list[tuple[int, str, Section]] = []


def register_section(title: str, order: int = 50) -> Callable[[Section], Section]:
    """Add a section to the governors' report (page and PDF)."""

    def register(func: Section) -> Section:
        if all(existing is not func for _, _, existing in _SECTIONS):
            _SECTIONS.append((order, title, func))
        return func

    return register


def sections(organisation: Organisation, today: dt.date) -> list[tuple[str, list[Line]]]:
    return [
        (title, func(organisation, today))
        for _, title, func in sorted(_SECTIONS, key=lambda s: (s[0], s[1]))
    ]
