"""No engine imports Django: they take data and return values (STYLE.md, point 5)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ENGINES = Path(__file__).resolve().parents[1] / "engines"
FORBIDDEN = ("django", "boundaries", "ninja")


def engine_files() -> list[Path]:
    return sorted(ENGINES.rglob("*.py"))


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_there_are_engines_to_check() -> None:
    assert {p.name for p in ENGINES.iterdir() if p.is_dir()} >= {"policydoc"}


@pytest.mark.parametrize("path", engine_files(), ids=lambda p: str(p.relative_to(ENGINES)))
def test_an_engine_module_does_not_import_django(path: Path) -> None:
    bad = {m for m in imported_modules(path) if m.split(".")[0] in FORBIDDEN}
    assert not bad, f"{path} imports {sorted(bad)}"
