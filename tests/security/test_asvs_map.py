"""docs/asvs.md stays honest: its tests exist, its rows are whole, its counts add up."""

from __future__ import annotations

import ast
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAP = ROOT / "docs" / "asvs.md"
STATUSES = ("met", "not applicable", "gap")
ROW = re.compile(r"^\| (V\d+\.\d+\.\d+) \|")
SUMMARY = re.compile(r"^\| (V\d+) [^|]+\|" + r" *(\d+) *\|" * 4 + r"$")
TOTAL = re.compile(r"^\| Total \|" + r" *(\d+) *\|" * 4 + r"$")
NODE = re.compile(r"`(tests/[^`]+?\.py)::([^`]+)`")

# Every Level 1 and Level 2 requirement of ASVS 5.0.0, as the number in each section
# (sections holding only Level 3 requirements are absent).
LEVEL_1_AND_2 = {
    **{"V1.1": 2, "V1.2": 9, "V1.3": 11, "V1.4": 3, "V1.5": 2},
    **{"V2.1": 3, "V2.2": 3, "V2.3": 4, "V2.4": 1},
    **{"V3.2": 2, "V3.3": 4, "V3.4": 6, "V3.5": 5, "V3.7": 2},
    **{"V4.1": 3, "V4.2": 1, "V4.3": 2, "V4.4": 4},
    **{"V5.1": 1, "V5.2": 3, "V5.3": 2, "V5.4": 3},
    **{"V6.1": 3, "V6.2": 12, "V6.3": 4, "V6.4": 4, "V6.5": 5, "V6.6": 3, "V6.8": 4},
    **{"V7.1": 3, "V7.2": 4, "V7.3": 2, "V7.4": 5, "V7.5": 2, "V7.6": 2},
    **{"V8.1": 2, "V8.2": 3, "V8.3": 1, "V8.4": 1},
    **{"V9.1": 3, "V9.2": 4},
    **{"V10.1": 2, "V10.2": 2, "V10.3": 4, "V10.4": 11, "V10.5": 5, "V10.6": 2, "V10.7": 3},
    **{"V11.1": 2, "V11.2": 3, "V11.3": 3, "V11.4": 4, "V11.5": 1, "V11.6": 1},
    **{"V12.1": 3, "V12.2": 2, "V12.3": 4},
    **{"V13.1": 1, "V13.2": 5, "V13.3": 2, "V13.4": 5},
    **{"V14.1": 2, "V14.2": 4, "V14.3": 3},
    **{"V15.1": 3, "V15.2": 3, "V15.3": 7},
    **{"V16.1": 1, "V16.2": 5, "V16.3": 4, "V16.4": 3, "V16.5": 3},
    **{"V17.1": 1, "V17.2": 4, "V17.3": 2},
}


@dataclass(frozen=True)
class Row:
    line: int
    id: str
    level: str
    status: str
    note: str
    tests: tuple[tuple[str, str], ...]

    @property
    def chapter(self) -> str:
        return self.id.split(".")[0]


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]


@cache
def rows(text: str | None = None) -> tuple[Row, ...]:
    found = []
    for number, line in enumerate((text or MAP.read_text()).splitlines(), start=1):
        if ROW.match(line):
            cells = _cells(line)
            assert len(cells) == 6, f"docs/asvs.md:{number} has {len(cells)} cells, not 6"
            ident, level, _, status, note, tests = cells
            found.append(Row(number, ident, level, status, note, tuple(NODE.findall(tests))))
    return tuple(found)


def summary(text: str) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    chapters: dict[str, dict[str, int]] = {}
    total: dict[str, int] = {}
    for line in text.split("\n## V1 ", 1)[0].splitlines():
        if match := SUMMARY.match(line):
            met, na, gap, count = map(int, match.groups()[1:])
            chapters[match[1]] = {"met": met, "not applicable": na, "gap": gap, "total": count}
        elif match := TOTAL.match(line):
            met, na, gap, count = map(int, match.groups())
            total = {"met": met, "not applicable": na, "gap": gap, "total": count}
    return chapters, total


def counted(found: tuple[Row, ...]) -> dict[str, dict[str, int]]:
    chapters: dict[str, dict[str, int]] = {}
    for row in found:
        tally = chapters.setdefault(row.chapter, dict.fromkeys([*STATUSES, "total"], 0))
        tally[row.status] += 1
        tally["total"] += 1
    return chapters


@cache
def defined_tests(path: str) -> frozenset[str]:
    """`name` for each test function and `Class::name` for each test method in a file."""
    tree = ast.parse((ROOT / path).read_text())
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    names.add(f"{node.name}::{item.name}")
    return frozenset(names)


def missing_test(path: str, name: str) -> str | None:
    """Why `path::name` names no test, or None when it does."""
    if not (ROOT / path).is_file():
        return f"{path} does not exist"
    if name.split("[", 1)[0] not in defined_tests(path):
        return f"{path} defines no {name}"
    return None


def test_the_map_has_rows() -> None:
    assert len(rows()) >= sum(LEVEL_1_AND_2.values())


def test_every_named_test_exists() -> None:
    problems = [
        f"{row.id}: {why}"
        for row in rows()
        for path, name in row.tests
        if (why := missing_test(path, name)) is not None
    ]
    assert not problems, problems


def test_every_met_row_names_a_test_and_says_where() -> None:
    bare = [row.id for row in rows() if row.status == "met" and not row.tests]
    assert not bare, f"met without a test: {bare}"


def test_every_row_not_met_says_why_or_what_is_missing() -> None:
    silent = [row.id for row in rows() if row.status != "met" and len(row.note) < 10]
    assert not silent, silent


def test_every_status_is_one_of_three() -> None:
    odd = [(row.id, row.status) for row in rows() if row.status not in STATUSES]
    assert not odd, odd


def test_no_requirement_appears_twice() -> None:
    twice = [ident for ident, n in Counter(row.id for row in rows()).items() if n > 1]
    assert not twice, twice


def test_every_level_1_and_2_requirement_has_a_row() -> None:
    wanted = {f"{s}.{n}" for s, count in LEVEL_1_AND_2.items() for n in range(1, count + 1)}
    present = {row.id for row in rows()}
    assert not wanted - present, sorted(wanted - present)
    extra = {row.id for row in rows() if row.id not in wanted}
    unclaimed = [i for i in extra if not next(r for r in rows() if r.id == i).level.startswith("3")]
    assert not unclaimed, f"not Level 1 or 2 and not a claimed Level 3: {unclaimed}"


def test_the_summary_counts_agree_with_the_rows() -> None:
    chapters, total = summary(MAP.read_text())
    assert chapters == counted(rows())
    sums = {key: sum(c[key] for c in chapters.values()) for key in [*STATUSES, "total"]}
    assert total == sums


# The checks themselves, on small invented maps, so that they are seen to fail.

BAD_MAP = """# Map

| Chapter | met | not applicable | gap | total |
|---|---:|---:|---:|---:|
| V1 Encoding | 2 | 0 | 0 | 2 |
| Total | 2 | 0 | 0 | 2 |

## V1 Encoding

| Id | Level | Requirement | Status | Where | Tests |
|---|---|---|---|---|---|
| V1.1.1 | 2 | A | met | here | `tests/security/test_asvs_map.py::test_nothing_like_this` |
| V1.1.1 | 2 | B | gap | missing: all of it | |
"""


def test_the_checks_catch_a_missing_test_a_duplicate_and_bad_counts() -> None:
    found = rows(BAD_MAP)
    assert [row.id for row in found] == ["V1.1.1", "V1.1.1"]
    (path, name) = found[0].tests[0]
    assert missing_test(path, name) == f"{path} defines no test_nothing_like_this"
    assert missing_test("tests/security/no_such_file.py", "test_x") is not None
    assert missing_test(path, "test_every_named_test_exists[with-brackets]") is None
    chapters, _ = summary(BAD_MAP)
    assert chapters != counted(found)  # one met and one gap, not two met


@pytest.mark.parametrize(
    ("line", "cells"),
    [
        ("| V1.1.1 | 2 | a | met | b | `t` |", ["V1.1.1", "2", "a", "met", "b", "`t`"]),
        (r"| V1.1.1 | 2 | a \| c | gap | b | |", ["V1.1.1", "2", r"a \| c", "gap", "b", ""]),
    ],
)
def test_cells_split_on_unescaped_bars_only(line: str, cells: list[str]) -> None:
    assert _cells(line) == cells
