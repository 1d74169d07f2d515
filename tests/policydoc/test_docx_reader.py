"""Word features beyond numbering: bullet styles, quote styles, tables of contents."""

from __future__ import annotations

from io import BytesIO

import docx

from engines.policydoc import parse_document


def build() -> bytes:
    document = docx.Document()
    document.add_paragraph("Table of Contents", style="TOC Heading")
    document.add_paragraph("Staff Phones Policy", style="Title")
    document.add_paragraph("1. USING PHONES", style="Heading 1")
    document.add_paragraph("1.1 Staff keep phones in lockers during lessons, except:")
    document.add_paragraph("on trips;", style="List Bullet")
    document.add_paragraph("when on call.", style="List Bullet")
    document.add_paragraph("1.2 The county guidance says:")
    document.add_paragraph("Phones are a distraction.", style="Quote")
    document.add_paragraph("2. REVIEW", style="Heading 1")
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def test_word_bullets_quotes_and_headings_land_in_their_clauses() -> None:
    parsed = parse_document(build(), "phones.docx")
    assert parsed.title == "Staff Phones Policy"
    assert [(c.number, c.heading) for c in parsed.walk()] == [
        ("1", "USING PHONES"),
        ("1.1", ""),
        ("1.2", ""),
        ("2", "REVIEW"),
    ]
    first = parsed.find("1.1")
    assert first is not None
    assert first.text.split("\n") == [
        "Staff keep phones in lockers during lessons, except:",
        "- on trips;",
        "- when on call.",
    ]
    second = parsed.find("1.2")
    assert second is not None
    assert [(n.kind, n.text) for n in second.notes] == [("quotation", "Phones are a distraction.")]
