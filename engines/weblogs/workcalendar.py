"""The school's working-hours calendar (clause 4.1(i)), in the school's own time zone."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np

from engines.weblogs.errors import WeblogsError

EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def _seconds(value: Any, what: str) -> int:
    try:
        parsed = time.fromisoformat(str(value))
    except ValueError as exc:
        raise WeblogsError(f"calendar: {what} {value!r} is not a time like 08:30") from exc
    return parsed.hour * 3600 + parsed.minute * 60 + parsed.second


def _date(value: Any, what: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise WeblogsError(f"calendar: {what} {value!r} is not a date like 2025-01-06") from exc


@dataclass(frozen=True)
class Calendar:
    """Working days and hours; times are wall-clock seconds after local midnight."""

    timezone: str
    weekdays: frozenset[int]
    start: int
    end: int
    breaks: tuple[tuple[int, int], ...] = ()
    term_dates: tuple[tuple[date, date], ...] = ()
    closed_days: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Calendar:
        if not isinstance(data, dict):
            raise WeblogsError("calendar: expected a JSON object")
        for key in ("timezone", "start", "end"):
            if key not in data:
                raise WeblogsError(f"calendar: missing {key!r}")
        try:
            ZoneInfo(str(data["timezone"]))
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise WeblogsError(f"calendar: unknown time zone {data['timezone']!r}") from exc
        weekdays = data.get("weekdays", [0, 1, 2, 3, 4])
        if not all(isinstance(d, int) and 0 <= d <= 6 for d in weekdays):
            raise WeblogsError("calendar: weekdays are numbers 0 (Monday) to 6 (Sunday)")
        start, end = _seconds(data["start"], "start"), _seconds(data["end"], "end")
        if end <= start:
            raise WeblogsError("calendar: end must be after start")
        try:
            breaks = tuple(
                (_seconds(b[0], "break start"), _seconds(b[1], "break end"))
                for b in data.get("breaks", [])
            )
            terms = tuple(
                (_date(t[0], "term start"), _date(t[1], "term end"))
                for t in data.get("term_dates", [])
            )
        except (IndexError, TypeError, KeyError) as exc:
            raise WeblogsError("calendar: breaks and term_dates are lists of pairs") from exc
        closed = frozenset(_date(d, "closed day") for d in data.get("closed_days", []))
        return cls(str(data["timezone"]), frozenset(weekdays), start, end, breaks, terms, closed)

    @classmethod
    def from_json(cls, text: str) -> Calendar:
        try:
            return cls.from_dict(json.loads(text))
        except json.JSONDecodeError as exc:
            raise WeblogsError(f"calendar: not valid JSON ({exc})") from exc

    def to_dict(self) -> dict[str, Any]:
        def hhmm(s: int) -> str:
            return f"{s // 3600:02d}:{s % 3600 // 60:02d}" + (f":{s % 60:02d}" if s % 60 else "")

        return {
            "timezone": self.timezone,
            "weekdays": sorted(self.weekdays),
            "start": hhmm(self.start),
            "end": hhmm(self.end),
            "breaks": [[hhmm(a), hhmm(b)] for a, b in self.breaks],
            "term_dates": [[a.isoformat(), b.isoformat()] for a, b in self.term_dates],
            "closed_days": sorted(d.isoformat() for d in self.closed_days),
        }

    def is_working_day(self, day: date) -> bool:
        if day.weekday() not in self.weekdays or day in self.closed_days:
            return False
        return not self.term_dates or any(a <= day <= b for a, b in self.term_dates)

    def in_working_hours(self, seconds: np.ndarray) -> np.ndarray:
        """Mask of wall-clock seconds-after-midnight inside hours and outside breaks."""
        mask = (seconds >= self.start) & (seconds < self.end)
        for a, b in self.breaks:
            mask &= (seconds < a) | (seconds >= b)
        return mask

    def utc_offsets(self, first: int, last: int) -> tuple[np.ndarray, np.ndarray]:
        """Instants where the UTC offset changes and the offsets (seconds) from then on.

        Covers [first, last] (epoch seconds); used with searchsorted so that a whole
        chunk of timestamps becomes local time in one vectorised step.
        """
        return _offset_table(self.timezone, first // 86400 - 1, last // 86400 + 2)


def local_date(day_number: int) -> date:
    return date.fromordinal(EPOCH_ORDINAL + day_number)


@lru_cache(maxsize=64)
def _offset_table(zone: str, first_day: int, last_day: int) -> tuple[np.ndarray, np.ndarray]:
    tz = ZoneInfo(zone)

    def offset(t: int) -> int:
        delta = datetime.fromtimestamp(t, UTC).astimezone(tz).utcoffset() or timedelta(0)
        return int(delta.total_seconds())

    instants, offsets = [-(2**62)], [offset(first_day * 86400)]
    for day in range(first_day, last_day):
        lo, hi = day * 86400, (day + 1) * 86400
        if offset(hi) == offsets[-1]:
            continue
        while hi - lo > 1:
            mid = (lo + hi) // 2
            lo, hi = (mid, hi) if offset(mid) == offsets[-1] else (lo, mid)
        instants.append(hi)
        offsets.append(offset(hi))
    return np.array(instants, dtype=np.int64), np.array(offsets, dtype=np.int64)
