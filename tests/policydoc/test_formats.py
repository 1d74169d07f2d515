"""One invented policy, three formats (Markdown, DOCX, PDF), one expected tree."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from engines.policydoc import Clause, PartialDate, PolicyDocument, parse_document
from tests.policydoc import invented_policy as policy

BUILDERS: dict[str, tuple[str, Callable[[], bytes]]] = {
    "markdown": ("policy.md", lambda: policy.markdown().encode()),
    "docx-word-numbering": ("policy.docx", lambda: policy.docx_bytes(word_numbering=True)),
    "docx-typed-numbers": ("policy.docx", lambda: policy.docx_bytes(word_numbering=False)),
    "pdf": ("policy.pdf", policy.pdf_bytes),
}


@pytest.fixture(scope="module", params=sorted(BUILDERS))
def parsed(request: pytest.FixtureRequest) -> PolicyDocument:
    filename, build = BUILDERS[request.param]
    return parse_document(build(), filename)


def shape(clause: Clause) -> tuple[str, str, tuple[object, ...]]:
    return (clause.number, clause.heading, tuple(shape(c) for c in clause.children))


def test_every_format_gives_the_same_clause_tree(parsed: PolicyDocument) -> None:
    assert tuple(shape(c) for c in parsed.clauses) == policy.EXPECTED_SHAPE


def test_every_format_gives_each_clause_its_whole_text(parsed: PolicyDocument) -> None:
    assert {c.number: c.text for c in parsed.walk()} == policy.EXPECTED_TEXTS


def test_every_format_reads_the_front_matter(parsed: PolicyDocument) -> None:
    assert parsed.title == policy.TITLE
    assert parsed.organisation == policy.SCHOOL
    assert parsed.model_title == policy.MODEL
    assert parsed.written == PartialDate(2025, 3, 3)
    assert parsed.ratified == PartialDate(2025, 5, 14)
    assert parsed.next_review == PartialDate(2026, 5)
    assert parsed.adopted == PartialDate(2025, 9, 1)
    assert parsed.preamble == policy.PREAMBLE


def test_a_pdf_paragraph_split_by_a_page_break_is_one_paragraph() -> None:
    parsed = parse_document(policy.pdf_bytes(), "policy.pdf")
    aims = parsed.find("1")
    assert aims is not None
    assert aims.text == policy.AIMS
    assert all("Page" not in c.text and "Oakmere Vale CPS" not in c.text for c in parsed.walk())


def test_bytes_decide_the_format_when_the_name_is_wrong() -> None:
    parsed = parse_document(policy.pdf_bytes(), "policy.txt")
    assert [c.number for c in parsed.clauses] == ["1", "2", "3", "4"]
