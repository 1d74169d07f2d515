"""The engine is framework-free: no module under engines/postcheck imports Django."""

import ast
from pathlib import Path

import pytest

import engines.postcheck

PACKAGE = Path(engines.postcheck.__file__).parent
FORBIDDEN = {"django", "sklearn", "boundaries"}


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.name)
def test_no_framework_imports(path: Path) -> None:
    tree = ast.parse(path.read_text())
    imported = {
        name.split(".")[0]
        for node in ast.walk(tree)
        for name in (
            [a.name for a in node.names] if isinstance(node, ast.Import)
            else [node.module or ""] if isinstance(node, ast.ImportFrom) else []
        )
    }  # fmt: skip
    assert not imported & FORBIDDEN
