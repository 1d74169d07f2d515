"""Squid native log lines: `time.ms elapsed client code/status bytes method URL user hier type`.

Only the elapsed field is padded (right-aligned in six columns), so every field after it
is found by walking back from the end of the line. The walk itself, and the counting of
each parsed line, is the compiled `kernels.scan_squid` (loaded by `native`); this module
holds the per-line output columns it fills and the loop that grows tables between calls.
"""

from __future__ import annotations

import mmap
from typing import Protocol

import numpy as np

from engines.weblogs.parsed import MAX_EXAMPLES
from engines.weblogs.tables import ByteTable


class Columns:
    """Reusable per-line output arrays, grown to the largest chunk seen."""

    def __init__(self) -> None:
        self.ts = np.zeros(0, dtype=np.int64)
        self.ident = np.zeros(0, dtype=np.int64)
        self.host = np.zeros(0, dtype=np.int64)
        self.denied = np.zeros(0, dtype=bool)
        self.pick = np.zeros(0, dtype=np.int64)
        self.seg = np.zeros(0, dtype=np.int64)
        self.local = np.zeros(0, dtype=np.int64)
        self.bad = np.zeros((MAX_EXAMPLES, 3), dtype=np.int64)
        self.counts = np.zeros(7, dtype=np.int64)
        self.positions = np.zeros(16, dtype=np.int64)
        self.key_words = np.zeros((2, 32), dtype=np.uint64)

    def reserve(self, lines: int) -> None:
        if lines <= len(self.ts):
            return
        size = max(lines, 2 * len(self.ts))
        for name in ("ts", "ident", "host", "denied", "pick", "seg", "local"):
            setattr(self, name, np.zeros(size, dtype=getattr(self, name).dtype))


SLACK = 16
SHORTEST_LINE = 32  # 14 for the time, then 9 spaces each followed by at least one byte


class Counter(Protocol):
    """What the fused parse-and-count loop needs from the `Tally` it counts into (whose
    `count_args` end with the `Columns` pick, seg and local arrays)."""

    def count_args(self) -> tuple[np.ndarray, ...]: ...

    def make_room(self, hosts: ByteTable) -> None: ...

    def widen(self, instant: int) -> None: ...


def scan(
    data: bytearray | mmap.mmap,
    size: int,
    cols: Columns,
    idents: ByteTable,
    hosts: ByteTable,
    counter: Counter,
    start: int = 0,
) -> tuple[int, int, int]:
    """(lines, parsed, unparsed) for data[start:size] (whole lines); parsed lines fill
    cols' first rows and are counted into `counter` (cols.counts[6] lines picked into
    cols.pick). Bad-line offsets in cols.bad are offsets into `data`.

    `data` must have SLACK bytes past `size` (their content does not matter), and cols
    room for every line; the tables grow as needed. The compiled loop checks no index, so
    these are checked here, once per chunk.
    """
    usable = len(data) // 8
    if not 0 <= start <= size or usable < (size + 7) // 8 + 1:
        raise ValueError(f"chunk [{start}, {size}) is outside its buffer or lacks slack")
    if len(cols.ts) < (size - start) // SHORTEST_LINE + 1:
        raise ValueError("the columns lack room for the chunk's lines")
    from engines.weblogs.native import kernel

    scan_squid = kernel("scan_squid")

    cols.counts[:] = 0
    cols.counts[3] = start
    idents.reserve_bytes(size - start)
    hosts.reserve_bytes(size - start)
    b8 = np.frombuffer(data, dtype=np.uint8, count=size)
    words = np.frombuffer(data, dtype=np.uint64, count=usable)
    stopped = -1
    while True:
        counter.make_room(hosts)
        scan_squid(
            b8,
            words,
            size,
            cols.ts,
            cols.ident,
            cols.host,
            cols.denied,
            cols.bad,
            cols.counts,
            *idents.args(),
            *hosts.args(),
            *counter.count_args(),
            cols.positions,
            cols.key_words,
        )
        if cols.counts[3] >= size:
            break
        if cols.counts[4]:
            counter.widen(int(cols.counts[5]))
            continue
        # a table at its count limit grows its slots; stopping twice at one line with
        # neither full means a line lacked arena room, so both arenas grow
        full = [t for t in (idents, hosts) if t.count >= int(t.meta[2])]
        stalled = int(cols.counts[3]) == stopped
        for table in full or ((idents, hosts) if stalled else ()):
            table.grow()
        stopped = int(cols.counts[3])
    lines, parsed, bad = cols.counts[:3].tolist()
    return lines, parsed, bad
