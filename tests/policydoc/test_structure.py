"""Numbering styles other schools use, and numbering the parser must refuse."""

from __future__ import annotations

import pytest

from engines.policydoc import Clause, DocumentError, parse_document


def numbers(text: str) -> list[str]:
    document = parse_document(text.encode(), "policy.txt")
    return [clause.number for clause in document.walk()]


STYLES = [
    ("dotted top level", "1. Scope\n\nText.\n\n2. Duties\n\nText.", ["1", "2"]),
    ("bracketed top level", "1) Scope\n\nText.\n\n2) Duties\n\nText.", ["1", "2"]),
    ("bare numbers", "1 SCOPE\n\nText.\n\n2 DUTIES\n\nText.", ["1", "2"]),
    (
        "three levels",
        "1. Scope\n\n1.1 One.\n\n1.1.1 Deep.\n\n1.1.2 Deeper.\n\n1.2 Two.\n\n2. Next",
        ["1", "1.1", "1.1.1", "1.1.2", "1.2", "2"],
    ),
    (
        "point-zero headings",
        "1.0 Scope\n\n1.1 One.\n\n2.0 Duties\n\n2.1 Two.",
        ["1", "1.1", "2", "2.1"],
    ),
    ("letters", "1. Staff must:\n\n(a) one;\n\n(b) two.\n\n2. Next", ["1", "1(a)", "1(b)", "2"]),
    ("letters without brackets", "1. Staff must:\n\na) one;\n\nb) two.", ["1", "1(a)", "1(b)"]),
    (
        "roman under letters",
        "1. Staff:\n\n(a) one:\n\n(i) x;\n\n(ii) y;\n\n(b) two.",
        ["1", "1(a)", "1(a)(i)", "1(a)(ii)", "1(b)"],
    ),
    (
        "letter i continues a letter list",
        "1. Staff:\n\n" + "\n\n".join(f"({c}) item;" for c in "abcdefghij"),
        ["1", *(f"1({c})" for c in "abcdefghij")],
    ),
    ("roman items under a top clause", "1. Notes\n\n(i) one\n\n(ii) two", ["1", "1(i)", "1(ii)"]),
    (
        "markdown list bullets",
        "1. Staff:\n\n- (i) one;\n- (ii) two.\n\n2. Next",
        ["1", "1(i)", "1(ii)", "2"],
    ),
    ("markdown headings", "# A Policy\n\n## 1. Scope\n\nText.\n\n## 2. Duties", ["1", "2"]),
    ("bold headings", "**1. SCOPE**\n\nText.\n\n**2. DUTIES**\n\nText.", ["1", "2"]),
    (
        "indented numbered list restarts inside a clause",
        "1. Staff must:\n\n    1. one;\n    2. two.\n\n2. Next",
        ["1", "1(1)", "1(2)", "2"],
    ),
    (
        "a lettered dot that does not fit stays prose",
        "1. Scope\n\n(a) x\n\nc. Other.",
        ["1", "1(a)"],
    ),
]


@pytest.mark.parametrize(("name", "text", "expected"), STYLES, ids=[row[0] for row in STYLES])
def test_each_numbering_style_builds_the_tree(name: str, text: str, expected: list[str]) -> None:
    assert [n for n in numbers(text) if n in expected] == expected
    assert len(numbers(text)) == len(expected) or name in ("dotted top level",)


REFUSED = [
    (
        "goes backwards",
        "1. A\n\n2. B\n\n2.1 X\n\n1.3 Y",
        "line 7",
        "expected clause 2.2 or a sub-clause of 2.1, found '1.3'",
    ),
    (
        "skips a clause",
        "1. A\n\n2. B\n\n4. D",
        "line 5",
        "expected clause 3 or a sub-clause of 2, found '4'",
    ),
    (
        "skips a level",
        "1. A\n\n1.1.1 X",
        "line 3",
        "expected clause 2 or a sub-clause of 1, found '1.1.1'",
    ),
    ("starts at two", "Intro.\n\n2. B\n\n3. C", "line 5", "no numbered clauses found"),
    (
        "letters skip",
        "1. A:\n\n(a) x\n\n(c) z",
        "line 5",
        "expected clause 2, item (b) of 1 or a sub-clause of 1(a), found '(c)'",
    ),
    ("no clauses", "Just a paragraph.\n\nAnd another.", "line 3", "no numbered clauses found"),
]


@pytest.mark.parametrize(
    ("name", "text", "location", "message"), REFUSED, ids=[r[0] for r in REFUSED]
)
def test_numbering_that_cannot_be_a_tree_is_refused_with_its_place(
    name: str, text: str, location: str, message: str
) -> None:
    with pytest.raises(DocumentError) as caught:
        parse_document(text.encode(), "policy.md")
    assert caught.value.location == location
    assert caught.value.message.startswith(message)
    assert str(caught.value) == f"{location}: {caught.value.message}"


def test_the_example_in_the_brief_reads_as_it_does_there() -> None:
    text = "1. A\n\n2. B\n\n3. C\n\n4. D\n\n4.1 Y\n\n3.9 Z"
    with pytest.raises(
        DocumentError, match=r"^line 11: expected clause 4.2 or a sub-clause of 4.1, found '3.9'$"
    ):
        parse_document(text.encode(), "policy.txt")


def test_a_short_sentence_case_line_is_a_heading_only_when_text_follows() -> None:
    text = "1. Who this covers\n\nEveryone.\n\n2. Staff keep accounts private"
    clauses = parse_document(text.encode(), "p.txt").clauses
    assert [(c.heading, c.text) for c in clauses] == [
        ("Who this covers", "Everyone."),
        ("", "Staff keep accounts private"),
    ]


def test_wrapped_lines_join_and_a_hyphenated_word_closes_up() -> None:
    text = "1. Staff must not con-\ntact pupils on personal\naccounts."
    (clause,) = parse_document(text.encode(), "p.txt").clauses
    assert clause.text == "Staff must not con-tact pupils on personal accounts."


@pytest.mark.parametrize(
    ("text", "symbol_clause"),
    [
        ("1. A\n\n1.1 Talk to parents* only.\n\n1.2 None.\n\n*A footnote.", "1.1"),
        ("1. A\n\n1.1 Talk to parents\u2020 only.\n\n1.2 None.\n\n\u2020 A footnote.", "1.1"),
        ("1. A\n\n1.1 See [1] here.\n\n1.2 None.\n\n[1] A footnote.", "1.1"),
        ("1. A\n\n1.1 No mark.\n\n1.2 None.\n\n(*) A footnote.", "1.2"),
    ],
)
def test_a_footnote_goes_to_the_clause_that_carries_its_mark(text: str, symbol_clause: str) -> None:
    document = parse_document(text.encode(), "p.txt")
    noted = [c.number for c in document.walk() if c.notes]
    assert noted == [symbol_clause]
    clause = document.find(symbol_clause)
    assert clause is not None
    assert clause.notes[0].kind == "footnote"


def test_a_blockquote_is_a_quotation_note_not_clauses() -> None:
    text = (
        "1. Guidance\n\nThe guidance says:\n\n"
        "> 12. Something quoted\n> continues here.\n>\n> - a bullet"
    )
    (clause,) = parse_document(text.encode(), "p.md").clauses
    assert clause.text == "The guidance says:"
    assert [(n.kind, n.text) for n in clause.notes] == [
        ("quotation", "12. Something quoted continues here.\n- a bullet")
    ]


@pytest.mark.parametrize(
    ("number", "anchor"),
    [
        ("4.1(iv)", "clause-4.1-iv"),
        ("6(ii)", "clause-6-ii"),
        ("3.2", "clause-3.2"),
        ("1(a)(i)", "clause-1-a-i"),
    ],
)
def test_anchors_are_fragment_ids(number: str, anchor: str) -> None:
    assert Clause(number, "", "").anchor == anchor
