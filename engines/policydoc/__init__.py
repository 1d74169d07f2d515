"""Policy documents (text, Markdown, DOCX, PDF) parsed into a clause tree and dates.

A pure engine: bytes in, frozen dataclasses out; no Django, no clock, no settings.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from engines.policydoc.blocks import Block
from engines.policydoc.dates import parse_date
from engines.policydoc.errors import DocumentError
from engines.policydoc.formats import sniff
from engines.policydoc.frontmatter import read_front_matter
from engines.policydoc.model import Clause, Note, PartialDate, PolicyDocument
from engines.policydoc.structure import build_clauses, first_clause_index

__all__ = [
    "MAX_BYTES",
    "Clause",
    "DocumentError",
    "Note",
    "PartialDate",
    "PolicyDocument",
    "parse_date",
    "parse_document",
]

MAX_BYTES = 50 * 1024 * 1024


def _read_blocks(data: bytes, filename: str) -> list[Block]:
    kind = sniff(data, filename)
    if kind == "pdf":
        from engines.policydoc.readers.pdf import read_pdf

        return read_pdf(data)
    if kind == "docx":
        from engines.policydoc.readers.docx import read_docx

        return read_docx(data)
    from engines.policydoc.readers.text import read_text

    return read_text(data)


def _title_from_filename(filename: str) -> str:
    stem = PurePath(filename).stem
    return re.sub(r"[_\-\s]+", " ", stem).strip() or "Untitled policy"


def parse_document(data: bytes, filename: str) -> PolicyDocument:
    """Parse a school's policy document; raise DocumentError saying where it went wrong."""
    if len(data) > MAX_BYTES:
        raise DocumentError(
            f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB", "whole file"
        )
    blocks = _read_blocks(data, filename)
    if not blocks:
        raise DocumentError("no text found in the document", "end of document")
    start = first_clause_index(blocks)
    if start is None:
        raise DocumentError(
            "no numbered clauses found (expected a first clause numbered 1)",
            blocks[-1].location,
        )
    front = read_front_matter(blocks[:start])
    clauses = build_clauses(blocks[start:])
    return PolicyDocument(
        title=front.title or front.model_title or _title_from_filename(filename),
        organisation=front.organisation,
        model_title=front.model_title,
        written=front.dates.get("written"),
        ratified=front.dates.get("ratified"),
        next_review=front.dates.get("next_review"),
        adopted=front.dates.get("adopted"),
        preamble=front.preamble,
        clauses=clauses,
    )
