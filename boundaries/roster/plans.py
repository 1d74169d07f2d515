"""What an import would do, worked out before anything is written.

A plan lists the records to add, the changes to make (field by field) and the people to
mark as leavers, or the bad rows. The actions apply a plan only when it has no errors,
inside the same transaction that worked it out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from boundaries.roster.csvfile import RowError

SHOWN = 200


@dataclass
class Change:
    pk: int
    name: str
    fields: dict[str, Any]
    before: dict[str, Any]


@dataclass
class ImportPlan:
    kind: str
    filename: str
    sha256: str
    rows: int = 0
    new: list[dict[str, Any]] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    leavers: list[Change] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    links: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changes_anything(self) -> bool:
        return bool(self.new or self.changes or self.leavers)

    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "added": len(self.new),
            "changed": len(self.changes),
            "leavers": len(self.leavers),
            "unchanged": self.unchanged,
            "errors": len(self.errors),
        }

    def summary(self) -> dict[str, Any]:
        """For pages, the API and the CLI: counts, and the first names of each list."""
        return {
            "kind": self.kind,
            "filename": self.filename,
            "sha256": self.sha256,
            **self.counts(),
            "added_names": [n.get("full_name", "") for n in self.new[:SHOWN]],
            "changed_names": [
                {"name": c.name, "fields": sorted(c.fields)} for c in self.changes[:SHOWN]
            ],
            "leaver_names": [c.name for c in self.leavers[:SHOWN]],
            "error_lines": [{"line": e.line, "reason": e.reason} for e in self.errors],
        }

    def describe(self) -> str:
        c = self.counts()
        return (
            f"{c['rows']} rows: {c['added']} to add, {c['changed']} to change, "
            f"{c['leavers']} to mark as leavers, {c['unchanged']} unchanged"
        )
