"""Compressed input is refused before it can unpack into more than anyone sends (ASVS
V5.2.3): a Word document with too many entries or too large unpacked, and a gzip or zstd
web log that decompresses past the limit. The bombs are made in memory or written small:
never written large."""

from __future__ import annotations

import gzip
import inspect
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
import zstandard
from django.test import Client

from boundaries.core.models import AuditEvent
from boundaries.policies.models import Policy
from engines.policydoc import DocumentError, parse_document
from engines.policydoc.readers import docx as docx_reader
from engines.weblogs import WeblogsError, analyse
from engines.weblogs import sources as weblog_sources
from tests.cast import Cast
from tests.policydoc import invented_policy
from tests.security.signin import sign_in_verified
from tests.weblogs.conftest import CALENDAR

MB = 1 << 20
SQUID_LINE = (
    b"1700000000.000    120 10.0.0.9 TCP_MISS/200 1500 GET https://www.facebook.com/ "
    b"alice HIER_DIRECT/157.240.1.35 text/html\n"
)


def _word_document_with(extra: dict[str, int]) -> bytes:
    """The invented policy as a Word document, plus entries of zeros of the given sizes
    (deflated: a few hundred bytes per MB)."""
    buffer = io.BytesIO(invented_policy.docx_bytes(word_numbering=True))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, size in extra.items():
            with archive.open(name, "w", force_zip64=size > 1 << 30) as entry:
                for start in range(0, size, MB):
                    entry.write(bytes(min(MB, size - start)))
    return buffer.getvalue()


def _unread(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on python-docx must not be asked to read a document at all."""
    import docx

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the document was read")

    monkeypatch.setattr(docx, "Document", refuse)


def test_a_word_document_with_too_many_entries_is_refused_before_reading(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    count = docx_reader.MAX_ENTRIES + 1
    data = _word_document_with({f"word/media/image{n}.png": 0 for n in range(count)})
    assert len(data) < MB
    _unread(monkeypatch)
    with pytest.raises(DocumentError) as refused:
        parse_document(data, "policy.docx")
    assert refused.value.location == "whole file"
    assert f"more than the {docx_reader.MAX_ENTRIES} allowed" in refused.value.message


def test_a_word_document_that_unpacks_past_200_mb_is_refused_before_reading(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert docx_reader.MAX_UNPACKED_BYTES == 200 * MB
    data = _word_document_with({"word/media/big.bin": 201 * MB})
    assert len(data) < 2 * MB  # small on disk: a bomb
    _unread(monkeypatch)
    with pytest.raises(DocumentError) as refused:
        parse_document(data, "policy.docx")
    assert "unpacks to more than 200 MB" in refused.value.message


def test_an_ordinary_word_document_is_still_read() -> None:
    data = _word_document_with({"word/media/photo.png": 2 * MB})
    assert parse_document(data, "policy.docx").clauses


def test_the_upload_page_names_the_problem_and_keeps_nothing(cast: Cast, client: Client) -> None:
    sign_in_verified(client, cast.head)
    before = (Policy.objects.count(), AuditEvent.objects.count())
    upload = io.BytesIO(
        _word_document_with({f"word/media/i{n}.png": 0 for n in range(docx_reader.MAX_ENTRIES)})
    )
    upload.name = "policy.docx"
    response = client.post("/o/rivington/policies/import/", {"document": upload})
    assert response.status_code == 200 and "govuk-error-summary" in response.text
    assert "more than the 1000 allowed" in response.text
    assert (Policy.objects.count(), AuditEvent.objects.count()) == before


# --- Web logs ------------------------------------------------------------------------------


def _bomb(path: Path, kind: str, size: int, line: bytes = SQUID_LINE) -> Path:
    """`size` bytes of log lines, compressed as they are made: the file stays small."""
    repeats = MB // len(line) + 1
    block = (line * repeats)[:MB]
    if kind == "gzip":
        with gzip.open(path, "wb", compresslevel=9) as out:
            for start in range(0, size, MB):
                out.write(block[: min(MB, size - start)])
    else:
        with path.open("wb") as raw, zstandard.ZstdCompressor().stream_writer(raw) as out:
            for start in range(0, size, MB):
                out.write(block[: min(MB, size - start)])
    return path


def _analyse(path: Path, fmt: str = "squid", **kwargs: Any) -> Any:
    from engines.weblogs import Calendar, Identities, load_catalogue

    return analyse(
        [path],
        fmt=fmt,
        catalogue=load_catalogue(),
        identities=Identities.from_rows([{"person": "Alice", "login": "alice"}]),
        calendar=Calendar.from_dict(CALENDAR),
        workers=1,
        **kwargs,
    )


@pytest.mark.parametrize("kind", ["gzip", "zstd"])
def test_a_web_log_that_decompresses_past_the_limit_is_refused(tmp_path: Path, kind: str) -> None:
    path = _bomb(tmp_path / f"access.log.{kind}", kind, 24 * MB)
    assert path.stat().st_size < MB
    with pytest.raises(WeblogsError) as refused:
        _analyse(path, max_unpacked=8 * MB)
    message = str(refused.value)
    assert message.startswith(f"{path}: decompresses to more than 8 MB, the limit")
    assert "decompression bomb" in message
    # Under the limit the same file is read as before.
    assert _analyse(path, max_unpacked=32 * MB).lines > 24 * MB // len(SQUID_LINE) - 30


def test_a_bomb_without_line_breaks_is_refused_while_reading_its_header(tmp_path: Path) -> None:
    """CSV logs read their first line for the column names; zeros have no line break."""
    path = tmp_path / "export.csv.gz"
    with gzip.open(path, "wb") as out:
        for _ in range(16):
            out.write(bytes(MB))
    with pytest.raises(WeblogsError, match="decompresses to more than 4 MB"):
        _analyse(path, fmt="csv", columns="time=Time,url=URL,user=User", max_unpacked=4 * MB)


def test_a_plain_log_is_not_held_to_the_decompression_limit(tmp_path: Path) -> None:
    path = tmp_path / "access.log"
    path.write_bytes(SQUID_LINE * 100)
    assert _analyse(path, max_unpacked=1024).lines == 100


def test_the_default_limit_is_64_gb_and_the_engine_takes_it_as_an_argument() -> None:
    assert weblog_sources.MAX_UNPACKED_BYTES == 64 << 30
    default = inspect.signature(analyse).parameters["max_unpacked"].default
    assert default == weblog_sources.MAX_UNPACKED_BYTES
