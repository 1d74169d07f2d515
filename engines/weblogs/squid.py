"""Squid native log lines, parsed a whole chunk at a time with numpy.

`time.ms elapsed client code/status bytes method URL user hier/peer type`. Only the
elapsed field is padded (right-aligned in six columns), so every field after it is found
by counting spaces back from the end of the line. The fields that matter (time, client,
user, host, denied) are gathered as fixed-width byte rows and reduced to ids with a
vectorised hash, checked byte for byte against one representative row per id.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.lib.stride_tricks import as_strided

from engines.weblogs.parsed import MAX_EXAMPLES, SCHEME_WINDOW, ParsedChunk, host_of_url

CLIENT_WIDTH = 40
USER_WIDTH = 64
HOST_WIDTH = 64
CODE_WIDTH = 16
PAD = 128
FIELDS_AFTER_PADDING = 8
POW10 = 10 ** np.arange(9, -1, -1, dtype=np.int64)
STOPS = np.zeros(256, dtype=bool)
STOPS[[ord(c) for c in "/:?# \n"]] = True
DIGITS = np.zeros(256, dtype=bool)
DIGITS[48:58] = True
HTTP = np.frombuffer(b"http://\0", np.uint64)[0]
HTTPS = np.frombuffer(b"https://", np.uint64)[0]
SEVEN = np.frombuffer(b"\xff" * 7 + b"\0", np.uint64)[0]
KEEP = np.array([(1 << (8 * n)) - 1 for n in range(9)], dtype=np.uint64)
GOLDEN = np.uint64(0x9E3779B97F4A7C15)
OTHER = np.uint64(0xC2B2AE3D27D4EB4F)


def _rows(view: np.ndarray, starts: np.ndarray, lengths: np.ndarray, width: int) -> np.ndarray:
    """Fixed-width rows of the field bytes, zeroed past each field's length."""
    rows = view[starts, :width]
    words = rows.view(np.uint64)
    for k in range(width // 8):
        words[:, k] &= KEEP[np.clip(lengths - 8 * k, 0, 8)]
    return rows


def _hash(rows: np.ndarray, factor: np.uint64) -> np.ndarray:
    words = rows.view(np.uint64)
    h = np.zeros(len(rows), dtype=np.uint64)
    for k in range(words.shape[1]):
        h ^= words[:, k]
        h *= factor
        h ^= h >> np.uint64(29)
    return h


def _strings(rows: np.ndarray, lengths: np.ndarray, pick: np.ndarray, encoding: str) -> list[str]:
    width = rows.shape[1]
    blob = rows[pick].tobytes()
    return [
        blob[i * width : i * width + n].decode(encoding, "replace")
        for i, n in enumerate(lengths[pick].tolist())
    ]


def _ids(parts: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(id per row, index of a representative row per id) for rows equal across all parts.

    Rows are grouped by one 64-bit hash and checked with a second, independent one; a
    disagreement (a collision) falls back to an exact byte-wise grouping.
    """
    h = np.zeros(len(parts[0]), dtype=np.uint64)
    check = np.zeros(len(parts[0]), dtype=np.uint64)
    for rows in parts:
        h = (h * GOLDEN) ^ _hash(rows, GOLDEN)
        check = (check * OTHER) ^ _hash(rows, OTHER)
    _, first, inverse = np.unique(h, return_index=True, return_inverse=True)
    if np.array_equal(check, check[first][inverse]):
        return inverse, first
    joined = np.ascontiguousarray(np.hstack(parts))
    _, first, inverse = np.unique(
        joined.view(f"V{joined.shape[1]}").ravel(), return_index=True, return_inverse=True
    )
    return inverse, first


def _host_starts(
    view: np.ndarray, url: np.ndarray, url_len: np.ndarray, connect: np.ndarray
) -> np.ndarray:
    """Where the host begins: the URL itself for CONNECT, else after a `scheme://`."""
    first8 = np.ascontiguousarray(view[url, :8]).view(np.uint64)[:, 0]
    starts = url.copy()
    https = (first8 == HTTPS) & ~connect
    http = ((first8 & SEVEN) == HTTP) & ~connect
    starts[https] += 8
    starts[http] += 7
    other = np.flatnonzero(~connect & ~https & ~http)
    if len(other):
        window = view[url[other], :SCHEME_WINDOW]
        found = np.zeros(len(other), dtype=bool)
        for k in range(SCHEME_WINDOW - 2):
            here = (window[:, k] == 58) & (window[:, k + 1] == 47) & (window[:, k + 2] == 47)
            here &= ~found & (k + 3 <= url_len[other])
            starts[other[here]] += k + 3
            found |= here
    return starts


def parse_chunk(chunk: bytes, wanted: Callable[[list[str]], np.ndarray]) -> ParsedChunk:
    """Parse a chunk of whole lines (the last one may lack its newline).

    `wanted` marks the hosts whose lines need the denied flag (the social ones); the
    flag is computed only for those lines and left False elsewhere.
    """
    if chunk and not chunk.endswith(b"\n"):
        chunk += b"\n"
    a = np.frombuffer(chunk + bytes(PAD), dtype=np.uint8)
    body = a[: len(chunk)]
    view = as_strided(a, shape=(len(chunk), PAD), strides=(1, 1), writeable=False)
    ends = np.flatnonzero(body == 10)
    starts = np.empty_like(ends)
    starts[:1] = 0
    starts[1:] = ends[:-1] + 1
    if len(ends):
        ends = ends - (body[np.maximum(ends - 1, 0)] == 13)
    spaces = np.flatnonzero(body == 32)
    last = np.searchsorted(spaces, ends)
    first = np.searchsorted(spaces, starts)
    count = last - first
    blank = ends <= starts
    ok = count >= FIELDS_AFTER_PADDING + 1

    def space(k: int) -> np.ndarray:
        return spaces[np.clip(last - k, 0, max(len(spaces) - 1, 0))] if len(spaces) else starts

    s = [ends] + [space(k) for k in range(1, FIELDS_AFTER_PADDING + 2)]
    head = view[starts, :15]
    digits = DIGITS[head]
    ok &= digits[:, :10].all(axis=1) & digits[:, 11:14].all(axis=1)
    ok &= (head[:, 10] == 46) & (head[:, 14] == 32)
    pad_start = spaces[np.minimum(first, max(len(spaces) - 1, 0))] if len(spaces) else starts
    ok &= s[9] - pad_start == (last - 9) - first
    for k in range(9):
        ok &= s[k] - s[k + 1] >= 2
    ok &= ~blank

    bad = np.flatnonzero(~ok & ~blank)
    examples = [
        (int(i), chunk[starts[i] : ends[i]].decode("utf-8", "replace")[:300])
        for i in bad[:MAX_EXAMPLES]
    ]
    good = np.flatnonzero(ok)
    starts, s = starts[good], [x[good] for x in s]
    ts = (head[good, :10].astype(np.int64) - 48) @ POW10

    client_len, user_len = s[7] - s[8] - 1, s[2] - s[3] - 1
    client_rows = _rows(view, s[8] + 1, client_len, CLIENT_WIDTH)
    user_rows = _rows(view, s[3] + 1, user_len, USER_WIDTH)
    ident, ident_rep = _ids([client_rows, user_rows])
    idents = list(
        zip(
            _strings(user_rows, user_len, ident_rep, "utf-8"),
            _strings(client_rows, client_len, ident_rep, "latin-1"),
            strict=True,
        )
    )

    method = view[s[5] + 1, :8]
    connect = (s[4] - s[5] == 8) & (method[:, :7] == np.frombuffer(b"CONNECT", np.uint8)).all(1)
    host_start = _host_starts(view, s[4] + 1, s[3] - s[4] - 1, connect)
    stop = STOPS[view[host_start, :HOST_WIDTH]]
    host_len = stop.argmax(axis=1)
    long_host = ~stop[np.arange(len(stop)), host_len]
    host_rows = _rows(view, host_start, host_len, HOST_WIDTH)
    host, host_rep = _ids([host_rows])
    hosts = _strings(host_rows, host_len, host_rep, "latin-1")
    if long_host.any():
        extra: dict[str, int] = {}
        for i in np.flatnonzero(long_host):
            line = chunk[starts[i] : s[0][i]].decode("latin-1").split()
            name = host_of_url(line[6], line[5])
            host[i] = len(hosts) + extra.setdefault(name, len(extra))
        hosts += list(extra)

    denied = np.zeros(len(good), dtype=bool)
    pick = np.flatnonzero(wanted(hosts)[host])
    code = view[s[7][pick] + 1, :CODE_WIDTH]
    code_len = s[6][pick] - s[7][pick] - 1
    word = np.frombuffer(b"DENIED", np.uint8)
    for k in range(CODE_WIDTH - 6):
        denied[pick] |= (code[:, k : k + 6] == word).all(axis=1) & (k + 6 <= code_len)

    return ParsedChunk(
        lines=len(ends),
        unparsed_count=len(bad),
        unparsed_examples=examples,
        ts=ts,
        ident=ident.astype(np.int64),
        idents=idents,
        host=host.astype(np.int64),
        hosts=hosts,
        denied=denied,
    )
