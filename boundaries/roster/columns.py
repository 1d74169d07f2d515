"""Which column of a school's MIS export holds which field, per MIS (presets) or as given.

Headers are matched without regard to case, spaces or punctuation, so "Work Email
Address", "work_email_address" and "WORK EMAIL ADDRESS" are one header. The presets are
our reading of each MIS's usual staff and pupil exports, recorded with their sources in
`roster/data/presets.toml`; a school whose export differs passes `--columns`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PRESETS_FILE = Path(__file__).parent / "data" / "presets.toml"
KINDS = ("staff", "pupils", "carers")

# The fields each kind of import understands; the first group are required.
FIELDS: dict[str, tuple[str, ...]] = {
    "staff": (
        "mis_id",
        "full_name",
        "first_name",
        "last_name",
        "work_email",
        "job_title",
        "team",
        "start_date",
        "leaving_date",
        "works_with_children",
        "line_manager",
    ),
    "pupils": (
        "mis_id",
        "full_name",
        "first_name",
        "last_name",
        "preferred_name",
        "date_of_birth",
        "year_group",
        "leaving_date",
    ),
    "carers": ("mis_id", "full_name", "first_name", "last_name", "pupils"),
}


class ColumnError(ValueError):
    """The file's header or the mapping given cannot be used; the message says why."""


def normalise(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


@cache
def presets() -> dict[str, dict[str, dict[str, list[str]]]]:
    """preset name -> kind -> field -> accepted headers."""
    data = tomllib.loads(PRESETS_FILE.read_text(encoding="utf-8"))
    return {name: body["columns"] for name, body in data["preset"].items()}


def parse_columns_option(text: str) -> dict[str, list[str]]:
    """`full_name=Name,work_email=Email` -> {"full_name": ["Name"], ...}."""
    mapping: dict[str, list[str]] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        field, sep, header = part.partition("=")
        if not sep or not field.strip() or not header.strip():
            raise ColumnError(f"--columns needs field=Header pairs, not {part!r}")
        mapping.setdefault(field.strip(), []).append(header.strip())
    return mapping


@dataclass(frozen=True)
class ColumnMap:
    """For one file: field -> index of the column that holds it."""

    kind: str
    index: dict[str, int]

    def has(self, field: str) -> bool:
        return field in self.index


def map_header(
    kind: str, header: list[str], preset: str = "generic", extra: dict[str, list[str]] | None = None
) -> ColumnMap:
    if kind not in KINDS:
        raise ColumnError(f"unknown import {kind!r}: choose one of {', '.join(KINDS)}")
    if preset not in presets():
        raise ColumnError(f"unknown preset {preset!r}: choose one of {', '.join(presets())}")
    accepted = {f: list(h) for f, h in presets()[preset].get(kind, {}).items()}
    for field, headers in (extra or {}).items():
        if field not in FIELDS[kind]:
            raise ColumnError(
                f"--columns: {field!r} is not a {kind} field ({', '.join(FIELDS[kind])})"
            )
        accepted[field] = headers
    position = {normalise(h): i for i, h in reversed(list(enumerate(header)))}
    index: dict[str, int] = {}
    for field in FIELDS[kind]:
        for candidate in accepted.get(field, [field]):
            if normalise(candidate) in position:
                index[field] = position[normalise(candidate)]
                break
    has_name = "full_name" in index or {"first_name", "last_name"} <= set(index)
    if not has_name:
        raise ColumnError(
            "line 1: no name column found; expected a full name or first and last name columns "
            f"({preset} preset); name them with --columns"
        )
    if "mis_id" not in index and not (kind == "staff" and "work_email" in index):
        raise ColumnError(
            "line 1: no MIS id column found; rows are matched on it"
            + (" (or on the work email)" if kind == "staff" else "")
        )
    return ColumnMap(kind, index)
