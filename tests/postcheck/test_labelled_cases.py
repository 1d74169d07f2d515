"""Every tuning case, one parametrised table per rule family (the .jsonl beside this file).

The held-out file is deliberately not asserted here: it is scored by
scripts/eval_postcheck.py, so that it stays a measurement rather than a target.
"""

import json
from datetime import datetime
from pathlib import Path

import pytest

from engines.postcheck import Context, check

CASES = Path(__file__).parent / "cases"
FAMILIES = sorted(p.stem for p in CASES.glob("*.jsonl") if p.stem != "heldout")


def cases(family: str) -> list[pytest.param]:
    rows = [json.loads(line) for line in (CASES / f"{family}.jsonl").read_text().splitlines()]
    return [
        pytest.param(
            row,
            id=row["id"],
            marks=[pytest.mark.xfail(strict=True, reason=row["known_miss"])]
            if "known_miss" in row
            else [],
        )
        for row in rows
    ]


def test_every_family_has_a_table() -> None:
    assert set(FAMILIES) >= {
        "timing", "audience", "former_pupils", "contact_details",
        "pupil_data", "requests_to_pupils", "derogatory", "defamation",
    }  # fmt: skip


def _check(row: dict, context: Context) -> None:
    at = datetime.fromisoformat(row["posted_at"]) if row["posted_at"] else None
    verdict = check(row["text"], audience=row["audience"], at=at, context=context)
    assert (verdict.verdict, sorted(verdict.clauses)) == (
        row["expect"]["verdict"],
        sorted(row["expect"]["clauses"]),
    ), [f.code for f in verdict.findings]


@pytest.mark.parametrize("row", cases("timing"))
def test_timing(row: dict, context: Context) -> None:
    _check(row, context)


@pytest.mark.parametrize("row", cases("audience"))
def test_audience(row: dict, context: Context) -> None:
    _check(row, context)


@pytest.mark.parametrize("row", cases("former_pupils"))
def test_former_pupils(row: dict, context: Context) -> None:
    _check(row, context)


@pytest.mark.parametrize("row", cases("contact_details"))
def test_contact_details(row: dict, context: Context) -> None:
    _check(row, context)


@pytest.mark.parametrize("row", cases("pupil_data"))
def test_pupil_data(row: dict, context: Context) -> None:
    _check(row, context)


@pytest.mark.parametrize("row", cases("requests_to_pupils"))
def test_requests_to_pupils(row: dict, context: Context) -> None:
    _check(row, context)


@pytest.mark.parametrize("row", cases("derogatory"))
def test_derogatory(row: dict, context: Context) -> None:
    _check(row, context)


@pytest.mark.parametrize("row", cases("defamation"))
def test_defamation(row: dict, context: Context) -> None:
    _check(row, context)


def test_suite_is_at_least_250_cases() -> None:
    total = sum(len(p.read_text().splitlines()) for p in CASES.glob("*.jsonl"))
    assert total >= 250
