"""Bad input gets DocumentError with a place, never another exception (the fuzzer's promise)."""

from __future__ import annotations

import random
import zipfile
from io import BytesIO

import pytest

from engines.policydoc import DocumentError, parse_document
from tests.policydoc import invented_policy as policy


def encrypted_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    out = BytesIO()
    page = canvas.Canvas(out, encrypt="a-password-nobody-knows")
    page.drawString(72, 700, "1. Secret")
    page.save()
    return out.getvalue()


def zip_without_word() -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("content.xml", "<x/>")
    return out.getvalue()


def docx_missing_body() -> bytes:
    source = zipfile.ZipFile(BytesIO(policy.docx_bytes(word_numbering=True)))
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = data[: len(data) // 2]
            archive.writestr(info, data)
    return out.getvalue()


BAD = [
    ("empty", b"", "policy.txt", "start of file", "the file is empty"),
    ("whitespace only", b" \n\t\n", "policy.md", "start of file", "the file is empty"),
    ("binary junk named txt", b"abc\n\x00\x01\x02\xff", "policy.txt", "line 2", "this is binary"),
    ("unknown type", b"hello", "policy.odt", "start of file", "unsupported file type '.odt'"),
    ("no extension", b"hello", "policy", "start of file", "unsupported file type"),
    ("pdf name, not pdf", b"1. Scope", "policy.pdf", "start of file", "the file is named .pdf"),
    ("docx name, not docx", b"1. Scope", "policy.docx", "start of file", "the file is named .docx"),
    (
        "old word or encrypted",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
        "p.docx",
        "start of file",
        "this is a password-protected",
    ),
    (
        "truncated zip",
        policy.docx_bytes(word_numbering=False)[:300],
        "p.docx",
        "start of file",
        "the file is a damaged ZIP",
    ),
    (
        "zip of something else",
        zip_without_word(),
        "p.docx",
        "start of file",
        "this ZIP archive is not a Word",
    ),
    (
        "damaged document.xml",
        docx_missing_body(),
        "p.docx",
        "start of file",
        "the Word document could not be read",
    ),
    (
        "truncated pdf",
        policy.pdf_bytes()[:400],
        "p.pdf",
        "start of file",
        "the PDF could not be read",
    ),
    ("encrypted pdf", encrypted_pdf(), "p.pdf", "start of file", "the PDF is password-protected"),
    (
        "text without clauses",
        b"A policy.\n\nNo numbers here.",
        "p.txt",
        "line 3",
        "no numbered clauses",
    ),
]


@pytest.mark.parametrize(
    ("name", "data", "filename", "location", "message"), BAD, ids=[b[0] for b in BAD]
)
def test_bad_input_is_refused_with_a_place_and_a_reason(
    name: str, data: bytes, filename: str, location: str, message: str
) -> None:
    with pytest.raises(DocumentError) as caught:
        parse_document(data, filename)
    assert (caught.value.location, caught.value.message[: len(message)]) == (location, message)


def test_windows_1252_text_is_read() -> None:
    text = "1. Staff\u2019s duties \u2013 summary\n\nThey must not post \u201cphotos\u201d."
    (clause,) = parse_document(text.encode("cp1252"), "p.txt").clauses
    assert clause.text == "They must not post \u201cphotos\u201d."


def test_a_utf8_byte_order_mark_is_ignored() -> None:
    (clause,) = parse_document("\ufeff1. SCOPE\n\nAll staff.".encode(), "p.txt").clauses
    assert (clause.number, clause.heading) == ("1", "SCOPE")


SEEDS = {
    "policy.md": policy.markdown().encode(),
    "policy.docx": policy.docx_bytes(word_numbering=True),
    "policy.pdf": policy.pdf_bytes(),
}


@pytest.mark.parametrize("filename", sorted(SEEDS))
def test_mutated_files_raise_only_document_error(filename: str) -> None:
    """A cheap stand-in for the atheris run: flip, cut and splice bytes of valid files."""
    rng = random.Random(filename)
    original = SEEDS[filename]
    for _ in range(60):
        data = bytearray(original)
        for _ in range(rng.randint(1, 20)):
            choice = rng.random()
            position = rng.randrange(len(data))
            if choice < 0.6:
                data[position] = rng.randrange(256)
            elif choice < 0.8:
                del data[position : position + rng.randint(1, 200)]
            else:
                data[position:position] = rng.randbytes(rng.randint(1, 50))
        refused: list[DocumentError] = []
        try:
            parse_document(bytes(data), filename)
        except DocumentError as error:
            refused.append(error)
        assert all(error.location and error.message for error in refused)


@pytest.mark.parametrize("line", ["(a) x", "(i) x"])
def test_endless_nesting_is_refused_before_it_exhausts_the_stack(line: str) -> None:
    text = "1. A\n\n" + "\n\n".join([line] * 3000)
    with pytest.raises(DocumentError, match="nested more than 8 levels"):
        parse_document(text.encode(), "p.txt")


def test_a_long_run_of_asterisks_is_read_in_reasonable_time() -> None:
    text = "1. A\n\nB " + "*a " * 5000
    (clause,) = parse_document(text.encode(), "p.txt").clauses
    assert clause.text.startswith("B *a *a")
