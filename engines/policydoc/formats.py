"""Which reader a file needs, from its name and its first bytes."""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import PurePath
from typing import Literal

from engines.policydoc.errors import DocumentError

Format = Literal["text", "docx", "pdf"]

_TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text"})
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(data: bytes, filename: str) -> Format:
    """Trust the bytes over the name: a PDF renamed .docx is still read as a PDF."""
    suffix = PurePath(filename).suffix.lower()
    if not data.strip():
        raise DocumentError("the file is empty", "start of file")
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(_OLE):
        raise DocumentError(
            "this is a password-protected document or an old Word .doc file; "
            "save it without a password as .docx or PDF",
            "start of file",
        )
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(BytesIO(data)).namelist())
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise DocumentError(
                f"the file is a damaged ZIP archive ({exc})", "start of file"
            ) from None
        if "word/document.xml" not in names:
            raise DocumentError(
                "this ZIP archive is not a Word document (no word/document.xml)", "start of file"
            )
        return "docx"
    if suffix == ".pdf":
        raise DocumentError("the file is named .pdf but is not a PDF", "start of file")
    if suffix == ".docx":
        raise DocumentError("the file is named .docx but is not a Word document", "start of file")
    if suffix in _TEXT_SUFFIXES:
        return "text"
    raise DocumentError(
        f"unsupported file type '{suffix or filename}': use .txt, .md, .docx or .pdf",
        "start of file",
    )
