"""Opening log files: compression detected by magic bytes, and cutting work at newlines."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import mmap
import os
import threading
import zlib
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

import zstandard

from engines.weblogs.errors import WeblogsError

SLACK = 16
# A compressed log that decompresses to more than this is refused part-way (a
# decompression bomb: gzip packs about 1000 to 1, zstd far more). A county's day of
# web-filter logs is tens of GB; callers may pass their own limit.
MAX_UNPACKED_BYTES = 64 << 30
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
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise WeblogsError(
            f"{path}: line 1: the file is UTF-16 text (as Excel's 'Unicode Text' saves it); "
            "save the export as 'CSV UTF-8' and try again"
        )
    if b"\x00" in head:
        raise WeblogsError(f"{path}: not a text log nor a gzip or zstd file")
    return "plain"


def sha256_of(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


class HashingReader(io.RawIOBase):
    """A raw file that feeds every byte it reads to sha256 and counts them.

    Reading and hashing the file in one pass means the file is read once; hashlib
    releases the GIL for large buffers, so parsing threads run meanwhile.
    """

    def __init__(self, raw: BinaryIO, *, hashing: bool = True) -> None:
        self.raw = raw
        self.digest = hashlib.sha256() if hashing else None
        self.consumed = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self.raw.readinto(buffer)  # type: ignore[attr-defined]
        if n:
            if self.digest:
                self.digest.update(memoryview(buffer)[:n])
            self.consumed += n
        return n or 0

    def drain(self) -> None:
        """Hash whatever a decompressor left unread (trailing bytes after the last frame)."""
        block = bytearray(1 << 20)
        while self.readinto(block):
            pass

    def close(self) -> None:
        self.raw.close()
        super().close()


class BufferPool:
    """Chunk buffers handed back for reuse, so that each chunk is not a fresh allocation
    (zero-filled and page-faulted in by the kernel every time)."""

    def __init__(self, size: int) -> None:
        self.capacity = size + (1 << 20) + SLACK
        self.free: deque[bytearray] = deque()

    def get(self, need: int) -> bytearray:
        if need <= self.capacity:
            try:
                return self.free.pop()
            except IndexError:
                return bytearray(self.capacity)
        return bytearray(need)

    def put(self, buf: bytearray) -> None:
        if len(buf) == self.capacity:
            self.free.append(buf)


class LineChunks:
    """Chunks of whole lines from a (possibly compressed) file, hashing it as it reads.

    Iterating yields (buffer, length): buffer[:length] holds whole lines (the file's last
    line may lack its newline), with at least SLACK bytes after them so that compiled
    loops may read whole 8-byte words. Afterwards `sha256` is the digest of the file as
    given (compressed bytes for a compressed file; empty if `checksum` is false);
    `consumed` counts input bytes read. A compressed file that decompresses to more than
    `max_unpacked` bytes raises WeblogsError as soon as it passes the limit.
    """

    def __init__(
        self,
        path: Path,
        kind: str,
        size: int,
        pool: BufferPool | None = None,
        *,
        checksum: bool = True,
        max_unpacked: int = MAX_UNPACKED_BYTES,
    ) -> None:
        self.path, self.kind, self.size, self.checksum = path, kind, size, checksum
        self.pool = pool or BufferPool(size)
        self.sha256 = ""
        self.consumed = 0
        self.max_unpacked = max_unpacked if kind != "plain" else None
        self.unpacked = 0
        self._reader: HashingReader | None = None

    def __iter__(self) -> Iterator[tuple[bytearray, int]]:
        try:
            raw = self.path.open("rb", buffering=0)
        except OSError as exc:
            raise WeblogsError(f"{self.path}: cannot read ({exc.strerror})") from exc
        reader = self._reader = HashingReader(raw, hashing=self.checksum)
        stream: Any = reader
        if self.kind == "gzip":
            stream = gzip.GzipFile(fileobj=reader, mode="rb")
        elif self.kind == "zstd":
            stream = zstandard.ZstdDecompressor().stream_reader(
                reader,  # type: ignore[arg-type]
                read_across_frames=True,
                closefd=False,
            )
        what = "read" if self.kind == "plain" else "decompress"
        try:
            with reader, stream:
                yield from self._chunks(stream)
                reader.drain()
        except (OSError, EOFError, zlib.error, zstandard.ZstdError) as exc:
            raise WeblogsError(f"{self.path}: cannot {what} ({exc})") from exc
        self.sha256 = reader.digest.hexdigest() if reader.digest else ""
        self.consumed = reader.consumed

    def _chunks(self, stream: Any) -> Iterator[tuple[bytearray, int]]:
        carry = b""
        while True:
            room = len(carry) + self.size
            buf = self.pool.get(room + SLACK)
            buf[: len(carry)] = carry
            filled = len(carry)
            view = memoryview(buf)[:room]
            while filled < room:
                n = stream.readinto(view[filled:])
                if not n:
                    break
                filled += n
                self.unpacked += n
                if self.max_unpacked is not None and self.unpacked > self.max_unpacked:
                    view.release()
                    raise WeblogsError(
                        f"{self.path}: decompresses to more than {_size(self.max_unpacked)}, "
                        "the limit for one log file (a damaged file, or a decompression "
                        "bomb): split the log into smaller files"
                    )
            view.release()
            assert self._reader is not None
            self.consumed = self._reader.consumed
            if filled == len(carry):
                if carry:
                    yield buf, filled
                return
            cut = buf.rfind(b"\n", 0, filled) + 1
            if filled < room:
                yield buf, filled
                return
            if cut == 0:
                carry = bytes(buf[:filled])
                continue
            carry = bytes(buf[cut:filled])
            yield buf, cut


def _size(count: int) -> str:
    for unit, shift in (("GB", 30), ("MB", 20), ("KB", 10)):
        if count >= 1 << shift:
            return f"{count / (1 << shift):g} {unit}"
    return f"{count} bytes"


def line_ranges(path: Path, piece: int, size: int | None = None) -> list[tuple[int, int]]:
    """Byte ranges of about `piece` bytes of the file's first `size` bytes (all of it by
    default), each ending just after a newline."""
    size = path.stat().st_size if size is None else size
    ranges, start = [], 0
    with path.open("rb") as fh:
        while start < size:
            end = min(start + piece, size)
            if end < size:
                fh.seek(end)
                rest = fh.readline()
                end = min(end + len(rest), size)
            ranges.append((start, end))
            start = end
    return ranges


class FileRange(NamedTuple):
    """Bytes [start, end) of a plain file, read by the worker thread that parses them."""

    path: Path
    start: int
    end: int

    def read(self, pool: BufferPool) -> bytearray:
        """The range in a pooled buffer (with SLACK bytes to spare after it)."""
        need = self.end - self.start
        buf = pool.get(need + SLACK)
        view = memoryview(buf)[:need]
        try:
            with self.path.open("rb", buffering=0) as fh:
                got = 0
                while got < need:
                    n = os.preadv(fh.fileno(), [view[got:]], self.start + got)
                    if not n:
                        raise WeblogsError(f"{self.path}: the file shrank while being read")
                    got += n
        except OSError as exc:
            raise WeblogsError(f"{self.path}: cannot read ({exc.strerror})") from exc
        finally:
            view.release()
        return buf


class FileMap:
    """A plain file mapped copy-on-write (so numpy sees writable memory; nothing is ever
    written), for workers to parse ranges of in place instead of copying them out."""

    PAGE = mmap.PAGESIZE

    def __init__(self, path: Path, size: int) -> None:
        with path.open("rb") as fh:
            self.map = mmap.mmap(fh.fileno(), size, access=mmap.ACCESS_COPY)

    def release(self, start: int, end: int) -> None:
        """Let go of the pages wholly inside [start, end), once parsed, so that resident
        memory stays a few chunks whatever the file's size."""
        first = -(-start // self.PAGE) * self.PAGE
        last = end // self.PAGE * self.PAGE
        if last > first:
            self.map.madvise(mmap.MADV_DONTNEED, first, last - first)

    def close(self) -> None:
        with contextlib.suppress(BufferError):  # a view still alive: the GC unmaps it
            self.map.close()


class MappedRange(NamedTuple):
    """Bytes [start, end) of a mapped file, with at least SLACK mapped bytes after them."""

    file: FileMap
    start: int
    end: int


class PrefixHash:
    """sha256 of a file's first `size` bytes, computed in a thread of its own (hashlib
    releases the GIL, so it overlaps parsing and the compiled code's start-up).
    `size` fixes what is hashed to what is analysed, even if the log grows meanwhile.
    The file is mapped rather than read (no copy), and each step's pages are let go once
    hashed, so the process never holds more than a step of it."""

    STEP = 16 << 20  # a multiple of the page size

    def __init__(self, path: Path, size: int) -> None:
        self.path, self.size = path, size
        self.digest = hashlib.sha256()
        self.error: OSError | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        if not self.size:
            return
        try:
            with (
                self.path.open("rb") as fh,
                mmap.mmap(fh.fileno(), self.size, access=mmap.ACCESS_READ) as mapped,
            ):
                view = memoryview(mapped)
                try:
                    for at in range(0, self.size, self.STEP):
                        end = min(at + self.STEP, self.size)
                        self.digest.update(view[at:end])
                        mapped.madvise(mmap.MADV_DONTNEED, at, end - at)
                finally:
                    view.release()
        except (OSError, ValueError) as exc:
            self.error = exc if isinstance(exc, OSError) else OSError(0, str(exc))

    def result(self) -> str:
        self.thread.join()
        if self.error is not None:
            raise WeblogsError(f"{self.path}: cannot read ({self.error.strerror})")
        return self.digest.hexdigest()


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


def stream_chunks(
    path: Path, kind: str, size: int, max_unpacked: int = MAX_UNPACKED_BYTES
) -> Iterator[bytes]:
    """Chunks of whole lines from a (possibly compressed) file, read front to back; a
    compressed one stops with WeblogsError past `max_unpacked` decompressed bytes."""
    carry = b""
    unpacked = 0
    try:
        with open_stream(path, kind) as stream:
            while True:
                block = stream.read(size)
                if not block:
                    break
                unpacked += len(block)
                if kind != "plain" and unpacked > max_unpacked:
                    raise WeblogsError(
                        f"{path}: decompresses to more than {_size(max_unpacked)}, the limit "
                        "for one log file (a damaged file, or a decompression bomb): split "
                        "the log into smaller files"
                    )
                data = carry + block
                cut = data.rfind(b"\n") + 1
                carry = data[cut:]
                if cut:
                    yield data[:cut]
    except (OSError, EOFError, zlib.error, zstandard.ZstdError) as exc:
        raise WeblogsError(f"{path}: cannot decompress ({exc})") from exc
    if carry:
        yield carry
