"""CSV exports from web filters, with a column mapping and presets per product.

The presets name the columns we expect in each product's report export. They were
written from the products' public descriptions, not from real exports: check the header
of a real export and pass `--columns` when it differs (see docs/weblogs-formats.md).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np

from engines.weblogs.errors import WeblogsError
from engines.weblogs.parsed import ChunkBuilder, ParsedChunk, checked_timestamp, host_of_url

FIELDS = ("time", "user", "client", "url", "action")
REQUIRED = ("time", "url")
DENIED_WORDS = ("block", "den", "filter", "reject")

# field -> header names tried in order (case-insensitive)
PRESETS: dict[str, dict[str, tuple[str, ...]]] = {
    "smoothwall": {
        "time": ("Date/Time", "Timestamp", "Time"),
        "user": ("Username", "User"),
        "client": ("Client IP", "IP Address", "Source IP"),
        "url": ("URL", "Request URL", "Domain"),
        "action": ("Action", "Result"),
    },
    "lightspeed": {
        "time": ("Time", "Date", "Timestamp"),
        "user": ("User", "Username", "Email"),
        "client": ("IP", "Client IP", "Device IP"),
        "url": ("URL", "Site", "Domain"),
        "action": ("Action", "Status", "Blocked"),
    },
    "securly": {
        "time": ("Date", "Time", "Timestamp"),
        "user": ("User", "Email", "User Email"),
        "client": ("IP", "IP Address"),
        "url": ("Site", "URL", "Domain"),
        "action": ("Status", "Action"),
    },
    "netsweeper": {
        "time": ("Date", "Date Time", "Time"),
        "user": ("User", "Username", "Login"),
        "client": ("Client IP", "Client", "IP"),
        "url": ("URL", "Host", "Site"),
        "action": ("Action", "Status", "Result"),
    },
}


def parse_mapping(text: str) -> dict[str, tuple[str, ...]]:
    """`time=Date,user=Username,url=URL` -> {"time": ("Date",), ...}."""
    mapping: dict[str, tuple[str, ...]] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        field, _, column = part.partition("=")
        if field.strip() not in FIELDS or not column.strip():
            raise WeblogsError(
                f"columns: {part!r} is not field=Column with field one of {', '.join(FIELDS)}"
            )
        mapping[field.strip()] = (column.strip(),)
    return mapping


@dataclass(frozen=True)
class CsvFormat:
    header: tuple[str, ...]
    positions: dict[str, int]
    timezone: str

    @classmethod
    def from_header(
        cls, header: list[str], mapping: dict[str, tuple[str, ...]], *, timezone: str, origin: str
    ) -> CsvFormat:
        lowered = [h.strip().lower() for h in header]
        positions = {}
        for field, names in mapping.items():
            for name in names:
                if name.lower() in lowered:
                    positions[field] = lowered.index(name.lower())
                    break
        missing = [f for f in REQUIRED if f not in positions]
        if missing or not ({"user", "client"} & positions.keys()):
            raise WeblogsError(
                f"{origin}: header {header!r} lacks columns for {missing or ['user or client']}"
            )
        return cls(tuple(header), positions, timezone)

    def _time(self, text: str) -> int:
        text = text.strip()
        if text.replace(".", "", 1).isdigit():
            return checked_timestamp(int(float(text)))
        moment = datetime.fromisoformat(text.replace("/", "-"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=ZoneInfo(self.timezone))
        return checked_timestamp(int(moment.timestamp()))

    def parse_chunk(self, chunk: bytes, wanted: Callable[[list[str]], np.ndarray]) -> ParsedChunk:
        del wanted
        out = ChunkBuilder()
        p = self.positions
        for index, raw in enumerate(chunk.decode("utf-8", "replace").splitlines()):
            out.lines += 1
            if not raw.strip():
                continue
            try:
                cells = next(csv.reader([raw]))
            except (csv.Error, StopIteration):
                out.unparsed(index, raw)
                continue
            if tuple(cells) == self.header:
                continue
            try:
                ts = self._time(cells[p["time"]])
                url = cells[p["url"]].strip()
                user = cells[p["user"]].strip() if "user" in p else "-"
                client = cells[p["client"]].strip() if "client" in p else "-"
                action = cells[p["action"]].strip().lower() if "action" in p else ""
            except (IndexError, ValueError):
                out.unparsed(index, raw)
                continue
            method = "CONNECT" if "://" not in url else "GET"
            denied = action in ("true", "yes") or any(w in action for w in DENIED_WORDS)
            out.add(ts, user or "-", client or "-", host_of_url(url, method), denied)
        return out.build()
