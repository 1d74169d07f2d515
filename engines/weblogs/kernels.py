"""The compiled inner loops: one pass over Squid native bytes, and counting per line.

numba compiles these to machine code (cached beside this file after the first run) and
runs them without the GIL, so two threads parse two chunks at once. Everything here
works on numpy arrays only; `tables.py` owns the arrays and grows them between calls,
so no loop here ever runs out of room.

Byte strings (identities, hosts) are interned exactly: a 64-bit hash of their 8-byte
words picks the slot, and equal hashes are confirmed word for word against the copy.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic

Int = int | np.integer[Any]  # the loops mix Python ints and numpy int64s freely


def _prefetch_row_typing(typingctx: Any, array: Any, row: Any) -> Any:
    """Start loading array[row, 0] into the cache (a hint: it never faults). Lookups in
    the interning tables miss the cache on most lines; asking early lets the line's
    other work hide the wait."""

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        aryty = signature.args[0]
        ary = context.make_array(aryty)(context, builder, args[0])
        index = context.cast(builder, args[1], signature.args[1], types.intp)
        ptr = cgutils.get_item_pointer2(
            context,
            builder,
            data=ary.data,
            shape=cgutils.unpack_tuple(builder, ary.shape),
            strides=cgutils.unpack_tuple(builder, ary.strides),
            layout=aryty.layout,
            inds=[index, context.get_constant(types.intp, 0)],
            boundscheck=False,
        )
        byte_ptr = ir.PointerType(ir.IntType(8))
        i32 = ir.IntType(32)
        fn = cgutils.get_or_insert_function(
            builder.module,
            ir.FunctionType(ir.VoidType(), [byte_ptr, i32, i32, i32]),
            "llvm.prefetch.p0",
        )
        builder.call(fn, [builder.bitcast(ptr, byte_ptr), i32(0), i32(3), i32(1)])
        return context.get_dummy_value()

    return types.void(array, row), codegen


_prefetch_row: Any = intrinsic(_prefetch_row_typing)


def _bit_count_typing(name: str) -> Any:
    def typing(typingctx: Any, word: Any) -> Any:
        def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
            i64 = ir.IntType(64)
            fn = cgutils.get_or_insert_function(
                builder.module, ir.FunctionType(i64, [i64, ir.IntType(1)]), f"llvm.{name}.i64"
            )
            return builder.call(fn, [args[0], ir.IntType(1)(1)])

        return types.uint64(word), codegen

    return typing


# zero bits below the lowest set bit, and above the highest (the word must not be zero)
_low_zeros: Any = intrinsic(_bit_count_typing("cttz"))
_high_zeros: Any = intrinsic(_bit_count_typing("ctlz"))

FNV_OFFSET = np.uint64(0xCBF29CE484222325)
MIX_A = np.uint64(0x9E3779B97F4A7C15)
MIX_B = np.uint64(0xC2B2AE3D27D4EB4F)
SPACE = 32
FIELDS_AFTER_PADDING = 9
SCHEME_WINDOW = 16
# A longer line is unparsed (Squid refuses requests of more than 64 KB): field lengths stay
# far below the 32 bits each gets in a slot row, and a line's room in the arenas is bounded.
MAX_LINE_BYTES = 1 << 20
UNKNOWN_HOST = -3  # tables.UNKNOWN_HOST (a test checks they agree): a host not classified yet
CONNECT = np.frombuffer(b"CONNECT", np.uint8)
HTTPS = np.frombuffer(b"https://", np.uint8)
HTTP = np.frombuffer(b"http://", np.uint8)


@njit(nogil=True, cache=True, inline="always")
def _starts(buf: np.ndarray, at: Int, n: Int, word: np.ndarray) -> bool:
    if n < len(word):
        return False
    for k in range(len(word)):  # noqa: SIM110 (numba compiles loops, not generators)
        if buf[at + k] != word[k]:
            return False
    return True


LOW_7_BITS = np.uint64(0x7F7F7F7F7F7F7F7F)
ALL_SPACES = np.uint64(0x2020202020202020)
ALL_NEWLINES = np.uint64(0x0A0A0A0A0A0A0A0A)
ALL_SLASHES = np.uint64(0x2F2F2F2F2F2F2F2F)
ALL_COLONS = np.uint64(0x3A3A3A3A3A3A3A3A)
ALL_QUESTION_MARKS = np.uint64(0x3F3F3F3F3F3F3F3F)
ALL_HASHES = np.uint64(0x2323232323232323)
NIBBLES = np.uint64(0xF0F0F0F0F0F0F0F0)
ALL_ZEROS = np.uint64(0x3030303030303030)
ALL_SIXES = np.uint64(0x0606060606060606)
DOT_CLEAR = ~np.uint64(0xFF << 32)
DOT_ZERO = np.uint64(0x30 << 32)


@njit(nogil=True, cache=True, inline="always")
def _bytes_equal(w: Any, pattern: np.uint64) -> np.uint64:
    """0x80 in each byte of `w` equal to that byte of `pattern`, 0 elsewhere (exact: no
    borrow crosses bytes)."""
    x = w ^ pattern
    return ~(((x & LOW_7_BITS) + LOW_7_BITS) | x | LOW_7_BITS)


@njit(nogil=True, cache=True, inline="always")
def _all_digits(w: np.uint64) -> bool:
    """Whether all 8 bytes are ASCII digits: the high nibble is 3 before and after adding
    6 to each byte (no byte carries into the next)."""
    return (w & NIBBLES) == ALL_ZEROS and ((w + ALL_SIXES) & NIBBLES) == ALL_ZEROS


@njit(nogil=True, cache=True, inline="always")
def _eight_digits(w: np.uint64) -> np.int64:
    """The number 8 ASCII digits write, the first in the lowest byte."""
    w = ((w & np.uint64(0x0F0F0F0F0F0F0F0F)) * np.uint64(2561)) >> np.uint64(8)
    w = ((w & np.uint64(0x00FF00FF00FF00FF)) * np.uint64(6553601)) >> np.uint64(16)
    w = ((w & np.uint64(0x0000FFFF0000FFFF)) * np.uint64(42949672960001)) >> np.uint64(32)
    return np.int64(w)


@njit(nogil=True, cache=True, inline="always")
def _next_newline(words: np.ndarray, at: Int, size: Int) -> Int:
    """Offset of the first newline in [at, size), or size."""
    k = at >> 3
    found = _bytes_equal(words[k], ALL_NEWLINES) & ~(
        (np.uint64(1) << np.uint64(8 * (at & 7))) - np.uint64(1)
    )
    last = (size - 1) >> 3
    while found == 0:
        k += 1
        if k > last:
            return size
        found = _bytes_equal(words[k], ALL_NEWLINES)
    return min(8 * k + np.int64(_low_zeros(found) >> np.uint64(3)), size)


@njit(nogil=True, cache=True, inline="always")
def _host_end(words: np.ndarray, at: Int, end: Int) -> Int:
    """Offset of the first "/", ":", "?" or "#" in [at, end), or end: where a URL's host
    stops."""
    while at < end:
        w = _word(words, at)
        found = (
            _bytes_equal(w, ALL_SLASHES)
            | _bytes_equal(w, ALL_COLONS)
            | _bytes_equal(w, ALL_QUESTION_MARKS)
            | _bytes_equal(w, ALL_HASHES)
        )
        if end - at < 8:
            found &= (np.uint64(1) << np.uint64(8 * (end - at))) - np.uint64(1)
        if found:
            return at + np.int64(_low_zeros(found) >> np.uint64(3))
        at += 8
    return end


@njit(nogil=True, cache=True, inline="always")
def _last_spaces(words: np.ndarray, lo: Int, end: Int, sp: np.ndarray) -> bool:
    """sp[1..9] = offsets of the last 9 spaces in [lo, end), last first; False if fewer."""
    k = (end - 1) >> 3
    n = 0
    while k >= (lo >> 3):
        found = _bytes_equal(words[k], ALL_SPACES)
        above = end - 8 * k
        if above < 8:
            found &= (np.uint64(1) << np.uint64(8 * above)) - np.uint64(1)
        below = lo - 8 * k
        if below > 0:
            found &= ~((np.uint64(1) << np.uint64(8 * below)) - np.uint64(1))
        while found:
            top = np.int64(63 - _high_zeros(found))
            n += 1
            sp[n] = 8 * k + (top >> 3)
            if n == FIELDS_AFTER_PADDING:
                return True
            found ^= np.uint64(1) << np.uint64(top)
        k -= 1
    return False


@njit(nogil=True, cache=True, inline="always")
def _word(words: np.ndarray, at: Int) -> np.uint64:
    """The 8 bytes starting at byte offset `at`, as one little-endian word (branch-free:
    the second shift pair is zero when `at` is word-aligned)."""
    k = at >> 3
    shift = np.uint64(8 * (at & 7))
    return (words[k] >> shift) | ((words[k + 1] << np.uint64(1)) << (np.uint64(63) - shift))


@njit(nogil=True, cache=True, inline="always")
def _field_word(words: np.ndarray, at: Int, end: Int) -> np.uint64:
    """Like _word, with the bytes at or past `end` zeroed."""
    w = _word(words, at)
    left = end - at
    if left < 8:
        w &= (np.uint64(1) << np.uint64(8 * left)) - np.uint64(1)
    return w


@njit(nogil=True, cache=True, inline="always")
def _same_field(words: np.ndarray, a0: Int, a1: Int, arena: np.ndarray, o: Int) -> bool:
    for at in range(a0, a1, 8):
        if _field_word(words, at, a1) != arena[o]:
            return False
        o += 1
    return True


@njit(nogil=True, cache=True, inline="always")
def _same_inline(words: np.ndarray, a0: Int, a1: Int, slots: np.ndarray, j: Int, k: Int) -> bool:
    for at in range(a0, a1, 8):
        if np.int64(_field_word(words, at, a1)) != slots[j, k]:
            return False
        k += 1
    return True


@njit(nogil=True, cache=True, inline="always")
def _store_field(words: np.ndarray, a0: Int, a1: Int, arena: np.ndarray, o: Int) -> Int:
    for at in range(a0, a1, 8):
        arena[o] = _field_word(words, at, a1)
        o += 1
    return o


@njit(nogil=True, cache=True, inline="always")
def key_of(words: np.ndarray, a0: Int, a1: Int, b0: Int, b1: Int, scratch: np.ndarray) -> Int:
    """The 64-bit hash of a pair of byte fields, read 8 bytes at a time; `scratch` keeps
    their words for `intern_keyed` to compare."""
    na, nb = a1 - a0, b1 - b0
    h = FNV_OFFSET
    k = 0
    for at in range(a0, a1, 8):
        w = _field_word(words, at, a1)
        if k < len(scratch):
            scratch[k] = w
        k += 1
        h = (h ^ w) * MIX_A
        h ^= h >> np.uint64(29)
    h = (h ^ np.uint64(na)) * MIX_B
    for at in range(b0, b1, 8):
        w = _field_word(words, at, b1)
        if k < len(scratch):
            scratch[k] = w
        k += 1
        h = (h ^ w) * MIX_A
        h ^= h >> np.uint64(29)
    h = (h ^ np.uint64(nb)) * MIX_B
    key = np.int64(h)
    return key


@njit(nogil=True, cache=True, inline="always")
def first_slot(key: Int, slots: np.ndarray) -> Int:
    return (key ^ (key >> 32)) & (len(slots) - 1)


@njit(nogil=True, cache=True, inline="always")
def intern_keyed(
    words: np.ndarray,
    a0: Int,
    a1: Int,
    b0: Int,
    b1: Int,
    key: Int,
    slots: np.ndarray,
    offs: np.ndarray,
    lens: np.ndarray,
    arena: np.ndarray,
    meta: np.ndarray,
    scratch: np.ndarray,
) -> Int:
    """Id of the pair of byte fields ([a0, a1), [b0, b1)) whose `key_of` is `key`,
    adding it if new.

    Fields are read and stored 8 bytes at a time (word-padded with zeros in `arena`);
    equal hashes are confirmed word for word, so ids are exact. A slot row holds
    [id or -1, hash, arena offset, lengths, key words...] so a lookup touches one cache line
    before the stored words, and keys that fit in the rest of the row are compared in the
    row itself; `scratch` keeps the key's words between hashing and comparing. The
    caller guarantees room (meta: count, words used).
    """
    na, nb = a1 - a0, b1 - b0
    wa = (na + 7) >> 3
    total = wa + ((nb + 7) >> 3)
    inline = total <= slots.shape[1] - 4
    short = total <= len(scratch)
    packed = (na << 32) | nb
    mask = len(slots) - 1
    j = first_slot(key, slots)
    while True:
        e = slots[j, 0]
        if e < 0:
            break
        if slots[j, 1] == key and slots[j, 3] == packed:
            same = True
            if inline:
                for k in range(total):
                    if np.int64(scratch[k]) != slots[j, 4 + k]:
                        same = False
                        break
            elif short:
                o = slots[j, 2]
                for k in range(total):
                    if scratch[k] != arena[o + k]:
                        same = False
                        break
            else:
                o = slots[j, 2]
                same = _same_field(words, a0, a1, arena, o) and _same_field(
                    words, b0, b1, arena, o + wa
                )
            if same:
                return e
        j = (j + 1) & mask
    e = meta[0]
    meta[0] += 1
    o = meta[1]
    slots[j, 0] = e
    slots[j, 1] = key
    slots[j, 2] = o
    slots[j, 3] = packed
    offs[e] = o
    lens[e, 0] = na
    lens[e, 1] = nb
    meta[1] = _store_field(words, b0, b1, arena, _store_field(words, a0, a1, arena, o))
    if inline:
        for k in range(total):
            slots[j, 4 + k] = np.int64(arena[o + k])
    return e


@njit(nogil=True, cache=True)
def rehash(old: np.ndarray, slots: np.ndarray) -> None:
    """Move every occupied slot row of `old` into `slots` (larger, all ids -1)."""
    mask = len(slots) - 1
    for i in range(len(old)):
        if old[i, 0] < 0:
            continue
        h = old[i, 1]
        j = (h ^ (h >> 32)) & mask
        while slots[j, 0] >= 0:
            j = (j + 1) & mask
        slots[j] = old[i]


@njit(nogil=True, cache=True, inline="always")
def _line(
    buf: np.ndarray,
    words: np.ndarray,
    start: Int,
    end: Int,
    sp: np.ndarray,
    scratch: np.ndarray,
    scratch2: np.ndarray,
    out: Int,
    ts_out: np.ndarray,
    ident_out: np.ndarray,
    host_out: np.ndarray,
    denied_out: np.ndarray,
    i_slots: np.ndarray,
    i_offs: np.ndarray,
    i_lens: np.ndarray,
    i_arena: np.ndarray,
    i_meta: np.ndarray,
    h_slots: np.ndarray,
    h_offs: np.ndarray,
    h_lens: np.ndarray,
    h_arena: np.ndarray,
    h_meta: np.ndarray,
) -> bool:
    """Parse one line [start, end); False if it does not parse (as a line of more than
    MAX_LINE_BYTES does).

    The time is 14 bytes (10 digits, a dot, 3 digits) and the first space follows it;
    the elapsed field after it is padded with spaces, and the other 9 fields are found
    from the end of the line. Both interning lookups are hashed and prefetched first and
    done last, so that the cache misses they usually take overlap each other and the rest
    of the line's work.
    """
    first = start + 14
    if end - start < 32 or end - start > MAX_LINE_BYTES:
        return False
    if buf[first] != SPACE or buf[start + 10] != 46:
        return False
    head = _word(words, start)
    if not (_all_digits(head) and _all_digits((_word(words, start + 6) & DOT_CLEAR) | DOT_ZERO)):
        return False
    if not _last_spaces(words, first, end, sp):
        return False
    sp[0] = end
    for k in range(1, FIELDS_AFTER_PADDING + 1):
        if sp[k - 1] - sp[k] < 2:
            return False
    for k in range(first + 1, sp[9]):
        if buf[k] != SPACE:
            return False
    ts = _eight_digits(head) * 100 + (buf[start + 8] - 48) * 10 + (buf[start + 9] - 48)
    # a login identifies on its own; only a request without one ("-") needs its client
    c0, c1 = sp[8] + 1, sp[7]
    if sp[2] - sp[3] != 2 or buf[sp[3] + 1] != 45:
        c0 = c1
    i_key = key_of(words, sp[3] + 1, sp[2], c0, c1, scratch)
    _prefetch_row(i_slots, first_slot(i_key, i_slots))
    m0, m1 = sp[5] + 1, sp[4]
    connect = m1 - m0 == len(CONNECT) and _starts(buf, m0, m1 - m0, CONNECT)
    u0, u1 = sp[4] + 1, sp[3]
    h0 = u0
    if not connect:
        n = u1 - u0
        if _starts(buf, u0, n, HTTPS):
            h0 = u0 + 8
        elif _starts(buf, u0, n, HTTP):
            h0 = u0 + 7
        else:
            for k in range(min(SCHEME_WINDOW - 2, n - 2)):
                if buf[u0 + k] == 58 and buf[u0 + k + 1] == 47 and buf[u0 + k + 2] == 47:
                    h0 = u0 + k + 3
                    break
    h1 = _host_end(words, h0, u1)
    h_key = key_of(words, h0, h1, h1, h1, scratch2)
    _prefetch_row(h_slots, first_slot(h_key, h_slots))
    denied = False
    for j in range(sp[7] + 1, sp[6] - 5):
        if (
            buf[j] == 68
            and buf[j + 1] == 69
            and buf[j + 2] == 78
            and buf[j + 3] == 73
            and buf[j + 4] == 69
            and buf[j + 5] == 68
        ):
            denied = True
            break
    ident = intern_keyed(
        words, sp[3] + 1, sp[2], c0, c1, i_key, i_slots, i_offs, i_lens, i_arena, i_meta, scratch
    )
    host = intern_keyed(
        words, h0, h1, h1, h1, h_key, h_slots, h_offs, h_lens, h_arena, h_meta, scratch2
    )
    ts_out[out] = ts
    ident_out[out] = ident
    host_out[out] = host
    denied_out[out] = denied
    return True


@njit(nogil=True, cache=True)
def scan_squid(
    buf: np.ndarray,
    words: np.ndarray,
    size: Int,
    ts_out: np.ndarray,
    ident_out: np.ndarray,
    host_out: np.ndarray,
    denied_out: np.ndarray,
    bad_out: np.ndarray,
    counts: np.ndarray,
    i_slots: np.ndarray,
    i_offs: np.ndarray,
    i_lens: np.ndarray,
    i_arena: np.ndarray,
    i_meta: np.ndarray,
    h_slots: np.ndarray,
    h_offs: np.ndarray,
    h_lens: np.ndarray,
    h_arena: np.ndarray,
    h_meta: np.ndarray,
    boundaries: np.ndarray,
    cover: np.ndarray,
    instants: np.ndarray,
    offsets: np.ndarray,
    host_class: np.ndarray,
    host_hits: np.ndarray,
    table: np.ndarray,
    t_meta: np.ndarray,
    current: np.ndarray,
    pick: np.ndarray,
    seg_out: np.ndarray,
    local_out: np.ndarray,
    positions: np.ndarray,
    key_words: np.ndarray,
) -> None:
    """Parse buf[:size] (whole lines) into per-line columns for the lines that parse,
    counting each parsed line as `tally` does (same table, picks and outputs).

    `words` is the same memory as 64-bit words (with at least one word of slack past
    `size`). Newlines, and then each line's last spaces from its end, are found 8 bytes
    at a time (a byte equal to the one sought becomes a high bit of a mask, exactly).
    counts holds [lines, parsed, unparsed, resume offset] and is carried across calls:
    when a table runs short of room (meta: count, words used, count limit) the loop
    stops before the line that might not fit, with counts[3] at its start; the caller
    grows the tables and calls again. counts[3] == size when the chunk is done.
    A line whose time is outside `cover` (the span `instants`/`offsets` describe) stops
    the loop the same way, with counts[4] = 1 and counts[5] = its time, so the caller
    can widen the span. counts[6] carries the lines picked; `host_class` and `host_hits`
    must have room for every host id the host table can hold before it grows, and
    `current` for every identity id. `current[identity]` is the identity's running
    [segment, day, count] (logs are in time order, so it rarely changes); a change moves
    the old count into `table`, so most lines touch one small row instead of a large
    hash table. The caller adds what is left in `current` at the end.
    bad_out gets rows [line index, start, end] for the first unparsed lines.
    `positions` (int64, 16) and `key_words` (uint64, 2 x 32) are working space, passed
    in so that the loop allocates nothing (`native` runs it without numba's runtime).
    """
    lines, parsed, bad, start = counts[0], counts[1], counts[2], counts[3]
    picked = counts[6]
    counts[4] = 0
    segments = len(boundaries) + 1
    seg: Int = 0
    zone: Int = 0
    sp = positions[: FIELDS_AFTER_PADDING + 1]
    scratch, scratch2 = key_words[0], key_words[1]
    while start < size:
        pos = _next_newline(words, start, size)
        end = pos
        if end > start and buf[end - 1] == 13:
            end -= 1
        room = (end - start) // 8 + 4
        if (
            i_meta[0] >= i_meta[2]
            or h_meta[0] >= h_meta[2]
            or i_meta[1] + room > len(i_arena)
            or h_meta[1] + room > len(h_arena)
            or t_meta[0] >= t_meta[1]
        ):
            counts[0], counts[1], counts[2], counts[3] = lines, parsed, bad, start
            counts[6] = picked
            return
        if end > start:
            ok = _line(
                buf,
                words,
                start,
                end,
                sp,
                scratch,
                scratch2,
                parsed,
                ts_out,
                ident_out,
                host_out,
                denied_out,
                i_slots,
                i_offs,
                i_lens,
                i_arena,
                i_meta,
                h_slots,
                h_offs,
                h_lens,
                h_arena,
                h_meta,
            )
            if ok:
                t = ts_out[parsed]
                if t < cover[0] or t >= cover[1]:
                    counts[0], counts[1], counts[2], counts[3] = lines, parsed, bad, start
                    counts[4], counts[5], counts[6] = 1, t, picked
                    return
                seg = _segment(boundaries, t, seg)
                zone = _zone(instants, t, zone)
                local = t + offsets[zone]
                day = local // 86400
                who = ident_out[parsed]
                if current[who, 2] != 0 and (current[who, 0] != seg or current[who, 1] != day):
                    key = np.int64(who) * segments + current[who, 0]
                    _add_count(table, t_meta, key, current[who, 1], current[who, 2])
                    current[who, 2] = 0
                if current[who, 2] == 0:
                    current[who, 0] = seg
                    current[who, 1] = day
                current[who, 2] += 1
                picked = _pick(
                    host_out[parsed],
                    parsed,
                    seg,
                    local,
                    host_class,
                    host_hits,
                    pick,
                    seg_out,
                    local_out,
                    picked,
                )
                parsed += 1
            else:
                if bad < len(bad_out):
                    bad_out[bad, 0] = lines
                    bad_out[bad, 1] = start
                    bad_out[bad, 2] = end
                bad += 1
        lines += 1
        start = pos + 1
    counts[0], counts[1], counts[2], counts[3] = lines, parsed, bad, size
    counts[6] = picked


@njit(nogil=True, cache=True, inline="always")
def _slot(key: Int, day: Int, mask: Int) -> Int:
    h = (np.uint64(key) * MIX_A) ^ (np.uint64(day) * MIX_B)
    h ^= h >> np.uint64(31)
    return np.int64(h) & mask


@njit(nogil=True, cache=True, inline="always")
def _segment(boundaries: np.ndarray, t: Int, seg: Int) -> Int:
    """The lease segment of instant `t` (how many identity-window boundaries it is past),
    starting from the previous line's: logs are in time order, so it rarely moves."""
    if (seg == 0 or boundaries[seg - 1] <= t) and (seg == len(boundaries) or t < boundaries[seg]):
        return seg
    return np.searchsorted(boundaries, t, side="right")


@njit(nogil=True, cache=True, inline="always")
def _zone(instants: np.ndarray, t: Int, zone: Int) -> Int:
    """The row of the UTC-offset table in force at `t`, starting from the previous line's."""
    if instants[zone] <= t and (zone + 1 == len(instants) or t < instants[zone + 1]):
        return zone
    return np.searchsorted(instants, t, side="right") - 1


@njit(nogil=True, cache=True, inline="always")
def _add_count(table: np.ndarray, meta: np.ndarray, key: Int, day: Int, count: Int) -> None:
    """Add `count` to the (key, day) row of a count table, adding the row if new."""
    mask = len(table) - 1
    j = _slot(key, day, mask)
    while table[j, 2] != 0 and (table[j, 0] != key or table[j, 1] != day):
        j = (j + 1) & mask
    if table[j, 2] == 0:
        table[j, 0] = key
        table[j, 1] = day
        meta[0] += 1
    table[j, 2] += count


@njit(nogil=True, cache=True, inline="always")
def _pick(
    hid: Int,
    line: Int,
    seg: Int,
    local: Int,
    host_class: np.ndarray,
    host_hits: np.ndarray,
    pick: np.ndarray,
    seg_out: np.ndarray,
    local_out: np.ndarray,
    picked: Int,
) -> Int:
    """Count a line's host, and pick the line (its host a catalogue platform's, or not yet
    classified) for the rules run in Python; the new number picked."""
    host_hits[hid] += 1
    c = host_class[hid]
    if c >= 0 or c == UNKNOWN_HOST:
        pick[picked] = line
        seg_out[picked] = seg
        local_out[picked] = local
        return picked + 1
    return picked


@njit(nogil=True, cache=True)
def tally(
    ts: np.ndarray,
    ident: np.ndarray,
    host: np.ndarray,
    n: Int,
    boundaries: np.ndarray,
    instants: np.ndarray,
    offsets: np.ndarray,
    host_class: np.ndarray,
    host_hits: np.ndarray,
    table: np.ndarray,
    meta: np.ndarray,
    state: np.ndarray,
    pick: np.ndarray,
    seg_out: np.ndarray,
    local_out: np.ndarray,
) -> None:
    """Count requests per (identity, lease segment, local day) and pick candidate lines.

    `table` rows are [identity * segments + segment, day, count] (count 0: empty),
    kept at most half full: at meta's limit the loop stops and the caller grows the
    table and calls again; state = [next line, lines picked] carries across calls.
    A candidate is a line whose host is a catalogue platform or not yet classified; its
    index, segment and local time go to pick/seg_out/local_out.
    """
    segments = len(boundaries) + 1
    seg: Int = 0
    zone: Int = 0
    picked = state[1]
    for i in range(state[0], n):
        if meta[0] >= meta[1]:
            state[0], state[1] = i, picked
            return
        t = ts[i]
        seg = _segment(boundaries, t, seg)
        zone = _zone(instants, t, zone)
        local = t + offsets[zone]
        _add_count(table, meta, np.int64(ident[i]) * segments + seg, local // 86400, 1)
        picked = _pick(
            host[i], i, seg, local, host_class, host_hits, pick, seg_out, local_out, picked
        )
    state[0], state[1] = n, picked


@njit(nogil=True, cache=True)
def recount(old: np.ndarray, table: np.ndarray) -> None:
    """Move every entry of one count table into a larger, empty one."""
    mask = len(table) - 1
    for i in range(len(old)):
        if old[i, 2] == 0:
            continue
        j = _slot(old[i, 0], old[i, 1], mask)
        while table[j, 2] != 0:
            j = (j + 1) & mask
        table[j] = old[i]
