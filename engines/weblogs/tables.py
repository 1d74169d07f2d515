"""Growable arrays behind the compiled loops: interned byte strings and a count table.

The loops in `kernels.py` never grow anything: they stop when a table reaches its limit,
and the caller grows it here and calls again. The loops are loaded (`native`) only when a
table first grows, so importing the engine stays light.
"""

from __future__ import annotations

import numpy as np

SLOT_WIDTH = 8  # int64s per interning slot row: 64 bytes, one cache line
UNKNOWN_HOST = -3  # host class of a host not classified yet


def _power_of_two(n: int) -> int:
    return 1 << max(n - 1, 1).bit_length()


def _slot_rows(count: int) -> np.ndarray:
    """`count` slot rows of SLOT_WIDTH int64s (all -1), each on its own 64-byte line."""
    width = SLOT_WIDTH
    raw = np.full((count + 1) * width, -1, dtype=np.int64)
    skip = (-raw.ctypes.data % 64) // 8
    return raw[skip : skip + count * width].reshape(count, width)


class ByteTable:
    """Distinct pairs of byte strings, each with a dense id in order of first appearance.

    Each entry is stored as two zero-padded runs of 64-bit words in `arena`; `slots` is
    an open-addressing table kept at most half full (meta: count, words used, limit).
    """

    def __init__(self) -> None:
        self.slots = _slot_rows(1 << 10)
        self.offs = np.zeros(1 << 9, dtype=np.int64)
        self.lens = np.zeros((1 << 9, 2), dtype=np.int64)
        self.arena = np.zeros(1 << 12, dtype=np.uint64)
        self.meta = np.array([0, 0, 1 << 9], dtype=np.int64)
        self.decoded = 0

    @property
    def count(self) -> int:
        return int(self.meta[0])

    def reserve_bytes(self, nbytes: int) -> None:
        """Room in the arena for `nbytes` more bytes of new entries (written in order, so
        unused room costs address space, not memory)."""
        used = int(self.meta[1])
        words = used + nbytes // 8 + 4
        if words > len(self.arena):
            arena = np.zeros(_power_of_two(words), dtype=np.uint64)
            arena[:used] = self.arena[:used]
            self.arena = arena

    def grow(self) -> None:
        """Double the slot table when at its limit, else the arena."""
        count = self.count
        if count < int(self.meta[2]):
            self.reserve_bytes(8 * len(self.arena))
            return
        from engines.weblogs.native import kernel

        slots = _slot_rows(2 * len(self.slots))
        kernel("rehash")(self.slots, slots)
        self.slots = slots
        self.meta[2] = len(slots) // 2
        for name in ("offs", "lens"):
            old = getattr(self, name)
            new = np.zeros((len(slots) // 2, *old.shape[1:]), dtype=old.dtype)
            new[:count] = old[:count]
            setattr(self, name, new)

    def args(self) -> tuple[np.ndarray, ...]:
        return self.slots, self.offs, self.lens, self.arena, self.meta

    def new_entries(self) -> list[tuple[bytes, bytes]]:
        """The pairs added since the last call, in id order."""
        out = []
        blob = self.arena.view(np.uint8)
        for e in range(self.decoded, self.count):
            o = 8 * int(self.offs[e])
            na, nb = (int(n) for n in self.lens[e])
            second = o + 8 * ((na + 7) // 8)
            out.append((blob[o : o + na].tobytes(), blob[second : second + nb].tobytes()))
        self.decoded = self.count
        return out


class CountTable:
    """Counts per (key, day) pair of int64s: rows [key, day, count], at most half full."""

    def __init__(self) -> None:
        self.table = np.zeros((1 << 12, 3), dtype=np.int64)
        self.meta = np.array([0, 1 << 11], dtype=np.int64)

    def grow(self) -> None:
        from engines.weblogs.native import kernel

        table = np.zeros((2 * len(self.table), 3), dtype=np.int64)
        kernel("recount")(self.table, table)
        self.table = table
        self.meta[1] = len(table) // 2

    def items(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        used = self.table[:, 2] > 0
        rows = self.table[used]
        return rows[:, 0], rows[:, 1], rows[:, 2]


class CodeCounts:
    """Counts per int64 code, compacted as it grows so memory follows distinct codes."""

    def __init__(self) -> None:
        self.parts: list[tuple[np.ndarray, np.ndarray]] = []
        self.size = 0

    def add(self, codes: np.ndarray, counts: np.ndarray | None = None) -> None:
        if not len(codes):
            return
        if counts is None:
            codes, counts = np.unique(codes, return_counts=True)
        self.parts.append((codes, counts))
        self.size += len(codes)
        if len(self.parts) > 64:
            self.compact()

    def compact(self) -> None:
        if len(self.parts) <= 1:
            return
        codes = np.concatenate([c for c, _ in self.parts])
        counts = np.concatenate([n for _, n in self.parts])
        unique, inverse = np.unique(codes, return_inverse=True)
        self.parts = [(unique, np.bincount(inverse, weights=counts).astype(np.int64))]
        self.size = len(unique)

    def merge(self, other: CodeCounts) -> None:
        for codes, counts in other.parts:
            self.add(codes, counts)

    def result(self) -> tuple[np.ndarray, np.ndarray]:
        self.compact()
        if not self.parts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return self.parts[0]
