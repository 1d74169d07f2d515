"""Opening log files: compression detected by magic bytes, and cutting work at newlines."""

from __future__ import annotations

import gzip
import hashlib
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import zstandard

from engines.weblogs.errors import WeblogsError

MAGIC = {b"\x1f\x8b": "gzip", b"\x28\xb5\x2f\xfd": "zstd"}
UNSUPPORTED = {b"BZh": "bzip2", b"\xfd7zXZ\x00": "xz", b"PK\x03\x04": "zip", b"7z\xbc\xaf": "7z"}


def compression_of(path: Path) -> str:
    """`plain`, `gzip` or `zstd`; anything else is refused with the file named."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise WeblogsError(f"{path}: cannot read ({exc.strerror})") from exc
    for magic, kind in MAGIC.items():
        if head.startswith(magic):
            return kind
    for magic, kind in UNSUPPORTED.items():
        if head.startswith(magic):
            raise WeblogsError(f"{path}: {kind} compression is not supported (use gzip or zstd)")
    if b"\x00" in head:
        raise WeblogsError(f"{path}: not a text log nor a gzip or zstd file")
    return "plain"


def sha256_of(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def line_ranges(path: Path, piece: int) -> list[tuple[int, int]]:
    """Byte ranges of about `piece` bytes, each ending just after a newline."""
    size = path.stat().st_size
    ranges, start = [], 0
    with path.open("rb") as fh:
        while start < size:
            end = min(start + piece, size)
            if end < size:
                fh.seek(end)
                rest = fh.readline()
                end += len(rest)
            ranges.append((start, end))
            start = end
    return ranges


def chunks_of_range(path: Path, start: int, end: int, size: int) -> Iterator[bytes]:
    """Chunks of whole lines from a byte range of a plain file."""
    with path.open("rb") as fh:
        fh.seek(start)
        carry = b""
        left = end - start
        while left > 0:
            block = fh.read(min(size, left))
            if not block:
                break
            left -= len(block)
            data = carry + block
            cut = data.rfind(b"\n") + 1 if left > 0 else len(data)
            if cut == 0:
                carry = data
                continue
            carry = data[cut:]
            yield data[:cut]
        if carry:
            yield carry


def open_stream(path: Path, kind: str) -> BinaryIO:
    if kind == "gzip":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    raw = path.open("rb")
    if kind == "zstd":
        return zstandard.ZstdDecompressor().stream_reader(
            raw, read_across_frames=True, closefd=True
        )
    return raw


def stream_chunks(path: Path, kind: str, size: int) -> Iterator[bytes]:
    """Chunks of whole lines from a (possibly compressed) file, read front to back."""
    carry = b""
    try:
        with open_stream(path, kind) as stream:
            while True:
                block = stream.read(size)
                if not block:
                    break
                data = carry + block
                cut = data.rfind(b"\n") + 1
                carry = data[cut:]
                if cut:
                    yield data[:cut]
    except (OSError, EOFError, zlib.error, zstandard.ZstdError) as exc:
        raise WeblogsError(f"{path}: cannot decompress ({exc})") from exc
    if carry:
        yield carry
