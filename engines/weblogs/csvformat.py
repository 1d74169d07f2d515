"""CSV exports from web filters, with a column mapping and presets per product.

The presets (csvpresets.py) name each product's columns, time formats and blocked words
from its public documentation; a real export that differs is read with a column mapping
(`--columns time=When,url=Address,time_format=%d.%m.%Y %H:%M`), which overrides any of them.
A row that cannot be read is counted with its line number and the problem, never fatal.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from zoneinfo import ZoneInfo

import numpy as np

from engines.weblogs.csvpresets import GENERIC, ISO, PRESETS
from engines.weblogs.errors import WeblogsError
from engines.weblogs.parsed import ChunkBuilder, ParsedChunk, checked_timestamp, host_of_url

__all__ = ["FIELDS", "PRESETS", "CsvFormat", "parse_mapping"]

FIELDS = ("time", "date", "user", "client", "url", "action")
SETTINGS = ("time_format", "denied")
MILLISECONDS = 10**11  # an epoch number this large counts milliseconds (year 5138 in seconds)
CACHED_TIMES = 1 << 16  # exports repeat each second for every request in it

EPOCH = re.compile(r"\d+(\.\d+)?")
SLASHED_ISO = re.compile(r"\d{4}/\d\d?/")
CLOCK_ONLY = re.compile(r"\d\d?:\d\d(:\d\d)?( ?[AaPp][Mm])?")
HAS_DATE = re.compile(r"\d{4}|\d[-/.]\d")
WORDS = re.compile(r"[a-z]+")
NOT_ALNUM = re.compile(r"[^0-9a-z]")


def parse_mapping(text: str) -> dict[str, tuple[str, ...]]:
    """`time=Date,user=Username,url=URL` -> {"time": ("Date",), ...}.

    Also `time_format=%d.%m.%Y %H:%M` (or `iso`) and `denied=Blocked|Refused`.
    """
    mapping: dict[str, tuple[str, ...]] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, _, value = (s.strip() for s in part.partition("="))
        if key not in FIELDS + SETTINGS or not value:
            raise WeblogsError(
                f"columns: {part!r} is not name=value with name one of "
                f"{', '.join(FIELDS + SETTINGS)}"
            )
        if key == "denied":
            mapping[key] = tuple(w.lower() for w in re.split(r"[|;]", value) if w.strip())
        else:
            mapping[key] = (value,)
    return mapping


def _key(name: str) -> str:
    """Header names compared without case, spaces, punctuation or a byte-order mark."""
    return NOT_ALNUM.sub("", name.lower())


def _missing_message(
    header: list[str], mapping: dict[str, tuple[str, ...]], missing: list[str], origin: str
) -> str:
    preset = mapping.get("preset", ("csv",))[0]

    def names(field: str) -> str:
        known = mapping.get(field, ())
        return f"one of {', '.join(repr(n) for n in known)}" if known else "not mapped"

    wanted = "; ".join(
        f"{field}: {names(field)}"
        if field != "user or client"
        else f"user: {names('user')}, or client: {names('client')}"
        for field in missing
    )
    found = ", ".join(repr(h.strip()) for h in header[:15] if h.strip()) or "nothing"
    more = f" and {len(header) - 15} more" if len(header) > 15 else ""
    return (
        f"{origin}: the header names {found}{more}; the {preset} format looks for {wanted}. "
        "Give the file's own names in the column mapping, e.g. time=When,user=Login,url=Address"
    )


@dataclass(frozen=True)
class CsvFormat:
    header: tuple[str, ...]
    positions: dict[str, int]
    timezone: str
    time_formats: tuple[str, ...] = GENERIC["time_format"]
    denied: frozenset[str] = frozenset(GENERIC["denied"])
    _times: dict[str, int | str] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_header(
        cls, header: list[str], mapping: dict[str, tuple[str, ...]], *, timezone: str, origin: str
    ) -> CsvFormat:
        """Find each field's column; refuse, naming what was found and what was wanted."""
        keys = [_key(h) for h in header]
        positions = {}
        for name_of in FIELDS:
            for name in mapping.get(name_of, ()):
                if _key(name) in keys:
                    positions[name_of] = keys.index(_key(name))
                    break
        if "time" not in positions and "date" in positions:
            positions["time"] = positions.pop("date")  # one "Date" column with date and time
        missing = [f for f in ("time", "url") if f not in positions]
        if not {"user", "client"} & positions.keys():
            missing.append("user or client")
        if missing:
            raise WeblogsError(_missing_message(header, mapping, missing, origin))
        return cls(
            tuple(h.strip() for h in header),
            positions,
            timezone,
            mapping.get("time_format", GENERIC["time_format"]),
            frozenset(mapping.get("denied", GENERIC["denied"])),
        )

    def _time(self, text: str) -> int:
        """Seconds since the epoch, remembered per distinct text (strptime is slow), and so
        is what is wrong with a text that is not a time."""
        known = self._times.get(text)
        if known is None:
            if len(self._times) >= CACHED_TIMES:
                self._times.clear()
            try:
                known = self._read_time(text.strip())
            except ValueError as error:
                known = str(error)
            self._times[text] = known
        if isinstance(known, str):
            raise ValueError(known)
        return known

    def _read_time(self, text: str) -> int:
        """Naive times are in the school's calendar time zone."""
        if EPOCH.fullmatch(text):
            number = float(text)
            return checked_timestamp(int(number / 1000 if number >= MILLISECONDS else number))
        if SLASHED_ISO.match(text):
            text = text.replace("/", "-", 2)
        for pattern in self.time_formats:
            try:
                if pattern == ISO:
                    moment = datetime.fromisoformat(text)
                else:
                    moment = datetime.strptime(text, pattern)
            except ValueError:
                continue
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=ZoneInfo(self.timezone))
            return checked_timestamp(int(moment.timestamp()))
        if CLOCK_ONLY.fullmatch(text):
            raise ValueError(f"the time {text!r} has no date: map the date column with date=...")
        raise ValueError(f"the time {text!r} is not a date and time like {self._examples}")

    @cached_property
    def _examples(self) -> str:
        sample = datetime(2025, 1, 6, 9, 30)
        shown = [
            sample.isoformat(" ") if p == ISO else sample.strftime(p) for p in self.time_formats
        ]
        return " or ".join(shown[:2])

    def _moment(self, cells: list[str]) -> int:
        when = cells[self.positions["time"]].strip()
        if "date" in self.positions and not HAS_DATE.search(when):
            when = f"{cells[self.positions['date']].strip()} {when}"
        return self._time(when)

    def _record(self, cells: list[str]) -> tuple[int, str, str, str, bool]:
        """(time, login, client, host, denied); ValueError names what is wrong."""
        p = self.positions
        if len(cells) <= max(p.values()):
            raise ValueError(f"the row has {len(cells)} cells; the header has {len(self.header)}")
        url = cells[p["url"]].strip()
        if not url or url == "-":
            raise ValueError("the URL cell is empty")
        ts = self._moment(cells)
        action = cells[p["action"]].lower() if "action" in p else ""
        denied = bool(action) and not self.denied.isdisjoint(WORDS.findall(action))
        login = cells[p["user"]].strip() if "user" in p else ""
        client = cells[p["client"]].strip() if "client" in p else ""
        host = host_of_url(url, "GET" if "://" in url else "CONNECT")
        return ts, login or "-", client or "-", host, denied

    def parse_chunk(self, chunk: bytes, wanted: Callable[[list[str]], np.ndarray]) -> ParsedChunk:
        """Unparsed rows are kept as "problem: row", so the line number comes with a reason."""
        del wanted
        out = ChunkBuilder()
        header = [_key(h) for h in self.header]
        for index, raw in enumerate(chunk.decode("utf-8", "replace").splitlines()):
            out.lines += 1
            if not raw.strip():
                continue
            try:
                cells = next(csv.reader([raw]))
            except (csv.Error, StopIteration) as error:
                out.unparsed(index, f"not a CSV row ({error}): {raw}")
                continue
            if _key(cells[0]) == header[0] and [_key(c) for c in cells] == header:
                continue  # the header, or a header repeated in exports joined together
            try:
                out.add(*self._record(cells))
            except ValueError as error:
                out.unparsed(index, f"{error}: {raw}")
        return out.build()
