"""The data the project ships: the control catalogue and the model policy's structure."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from boundaries.policies.structure import ClauseInput

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Control:
    code: str
    name: str
    description: str
    keywords: str


@cache
def controls() -> dict[str, Control]:
    raw = tomllib.loads((DATA / "controls.toml").read_text(encoding="utf-8"))
    return {c["code"]: Control(**c) for c in raw["control"]}


def parent_number(number: str) -> str | None:
    """`4.1(iv)` -> `4.1`, `4.1` -> `4`, `6(ii)` -> `6`, `1` -> None."""
    if number.endswith(")") and "(" in number:
        return number[: number.rindex("(")]
    if "." in number:
        return number.rsplit(".", 1)[0]
    return None


@dataclass(frozen=True)
class ModelStructure:
    title: str
    model_title: str
    clauses: list[ClauseInput]


def model_structure() -> ModelStructure:
    raw = tomllib.loads((DATA / "model_policy.toml").read_text(encoding="utf-8"))
    by_number: dict[str, ClauseInput] = {}
    roots: list[ClauseInput] = []
    for spec in raw["clause"]:
        notes = []
        if spec.get("footnote"):
            notes.append(("footnote", spec["footnote"]))
        if spec.get("quotation"):
            notes.append(("quotation", spec["quotation"]))
        node = ClauseInput(
            number=spec["number"],
            heading=spec.get("heading", ""),
            text=spec["summary"],
            notes=notes,
            controls=list(spec.get("controls", [])),
            conflicts=[dict(c) for c in spec.get("conflict", [])],
        )
        unknown = set(node.controls) - set(controls())
        if unknown:
            raise ValueError(f"model clause {node.number}: unknown controls {sorted(unknown)}")
        parent = parent_number(node.number)
        (by_number[parent].children if parent else roots).append(node)
        by_number[node.number] = node
    return ModelStructure(raw["title"], raw["model_title"], roots)


@cache
def model_controls_by_number() -> dict[str, list[str]]:
    return {c.number: c.controls for c in _walk(model_structure().clauses)}


@cache
def model_conflicts_by_number() -> dict[str, list[dict[str, str]]]:
    return {c.number: c.conflicts for c in _walk(model_structure().clauses) if c.conflicts}


def _walk(roots: list[ClauseInput]) -> list[ClauseInput]:
    return [node for root in roots for node in root.walk()]


_WORD = re.compile(r"[a-z]{3,}")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())
