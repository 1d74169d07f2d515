"""Squid/Apache combined (and common) log lines, parsed line by line.

`%h %l %u [%t] "%r" %>s %b "referer" "user-agent"`; Squid's own `combined` logformat
appends ` %Ss:%Sh`, which is accepted. A 403, or a Squid code containing DENIED,
counts as denied.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

import numpy as np

from engines.weblogs.parsed import ChunkBuilder, ParsedChunk, checked_timestamp, host_of_url

LINE = re.compile(
    r'^(\S+) \S+ (\S+) \[([^\]]+)\] "([^"]*)" (\d{3}) (?:\d+|-)'
    r'(?: "(?:[^"\\]|\\.)*" "(?:[^"\\]|\\.)*")?(?: (\S+))?\s*$'
)


def parse_time(text: str) -> int:
    return checked_timestamp(int(datetime.strptime(text, "%d/%b/%Y:%H:%M:%S %z").timestamp()))


def parse_chunk(chunk: bytes, wanted: Callable[[list[str]], np.ndarray]) -> ParsedChunk:
    del wanted
    out = ChunkBuilder()
    for index, raw in enumerate(chunk.decode("utf-8", "replace").splitlines()):
        out.lines += 1
        if not raw.strip():
            continue
        match = LINE.match(raw)
        request = match.group(4).split(" ") if match else []
        try:
            ts = parse_time(match.group(3)) if match else None
        except ValueError:
            ts = None
        if match is None or ts is None or len(request) < 2:
            out.unparsed(index, raw)
            continue
        client, user, status, squid = match.group(1), match.group(2), match.group(5), match.group(6)
        denied = status == "403" or (squid is not None and "DENIED" in squid)
        out.add(ts, user, client, host_of_url(request[1], request[0]), denied)
    return out.build()
