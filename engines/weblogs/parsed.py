"""What every log format is reduced to before counting: a few numeric columns per chunk.

Identities and hosts are replaced by small integer ids into per-chunk lists, so that
counting, calendar and identity rules run once per distinct value rather than per line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

MAX_EXAMPLES = 20
SCHEME_WINDOW = 16


@dataclass
class ParsedChunk:
    lines: int
    unparsed_count: int
    unparsed_examples: list[tuple[int, str]]
    ts: np.ndarray
    ident: np.ndarray
    idents: list[tuple[str, str]]
    host: np.ndarray
    hosts: list[str]
    denied: np.ndarray


@dataclass
class ChunkBuilder:
    """Collects records one at a time, for the formats parsed line by line."""

    lines: int = 0
    unparsed_count: int = 0
    unparsed_examples: list[tuple[int, str]] = field(default_factory=list)
    _ts: list[int] = field(default_factory=list)
    _ident: list[int] = field(default_factory=list)
    _host: list[int] = field(default_factory=list)
    _denied: list[bool] = field(default_factory=list)
    _ident_ids: dict[tuple[str, str], int] = field(default_factory=dict)
    _host_ids: dict[str, int] = field(default_factory=dict)

    def unparsed(self, index: int, text: str) -> None:
        self.unparsed_count += 1
        if len(self.unparsed_examples) < MAX_EXAMPLES:
            self.unparsed_examples.append((index, text[:300]))

    def add(self, ts: int, login: str, client: str, host: str, denied: bool) -> None:
        key = (login or "-", client)
        self._ts.append(ts)
        self._ident.append(self._ident_ids.setdefault(key, len(self._ident_ids)))
        self._host.append(self._host_ids.setdefault(host, len(self._host_ids)))
        self._denied.append(denied)

    def build(self) -> ParsedChunk:
        return ParsedChunk(
            lines=self.lines,
            unparsed_count=self.unparsed_count,
            unparsed_examples=self.unparsed_examples,
            ts=np.array(self._ts, dtype=np.int64),
            ident=np.array(self._ident, dtype=np.int64),
            idents=list(self._ident_ids),
            host=np.array(self._host, dtype=np.int64),
            hosts=list(self._host_ids),
            denied=np.array(self._denied, dtype=bool),
        )


def host_of_url(url: str, method: str) -> str:
    """The host of a proxy request: `host:443` for CONNECT, else from `scheme://host/...`."""
    if method.upper() != "CONNECT":
        scheme = url.find("://", 0, SCHEME_WINDOW)
        if scheme >= 0:
            url = url[scheme + 3 :]
    end = len(url)
    for stop in "/:?# ":
        found = url.find(stop)
        if 0 <= found < end:
            end = found
    return url[:end]


# Day numbers are packed into 20 bits (tally.DAY_BITS); a timestamp outside these years is a
# damaged line, not a visit, and is reported as unparsed.
EARLIEST_TIMESTAMP = 631_152_000  # 1990-01-01
LATEST_TIMESTAMP = 4_102_444_800  # 2100-01-01


def checked_timestamp(seconds: int) -> int:
    if not EARLIEST_TIMESTAMP <= seconds < LATEST_TIMESTAMP:
        raise ValueError(f"timestamp {seconds} is outside 1990-2099")
    return seconds
