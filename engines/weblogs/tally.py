"""Counting parsed lines into per-person, per-day figures, one `Tally` per worker thread.

Every line counts towards its identity's requests for the day (in the compiled `tally`
loop, keyed by identity, lease segment and local day). Only lines whose host is a
catalogue platform go on to the calendar, work-use and minute rules, in numpy. Identity
rules run once per distinct (identity, lease segment), host rules once per distinct host.
"""

from __future__ import annotations

import mmap
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from engines.weblogs import squid
from engines.weblogs.catalogue import Catalogue
from engines.weblogs.errors import WeblogsError
from engines.weblogs.identities import Identities
from engines.weblogs.parsed import MAX_EXAMPLES, ParsedChunk
from engines.weblogs.tables import UNKNOWN_HOST, ByteTable, CodeCounts, CountTable
from engines.weblogs.workcalendar import Calendar, local_date
from engines.weblogs.workuse import WorkUse

DAY_BITS = 20
DAY_BIAS = 2
MINUTE_BITS = 11
PLATFORM_BITS = 12
ORDINARY = -1
LOOKS_SOCIAL = -2
UNKNOWN = UNKNOWN_HOST


@dataclass
class Rules:
    """Everything a worker needs besides the log bytes."""

    catalogue: Catalogue
    calendar: Calendar
    identities: Identities
    work_use: WorkUse
    persons: tuple[str, ...] = ()
    boundaries: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    work_platforms: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    work_pairs: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    @classmethod
    def build(
        cls, catalogue: Catalogue, calendar: Calendar, identities: Identities, work_use: WorkUse
    ) -> Rules:
        persons = identities.persons
        index = {p: i for i, p in enumerate(persons)}
        names = catalogue.names
        if len(names) > 1 << PLATFORM_BITS:  # platform numbers are packed into these bits
            raise WeblogsError(f"the catalogue names {len(names)} platforms; at most 4096")
        flags = np.array([n in work_use.platforms for n in names], dtype=bool)
        pairs = [
            names.index(platform) * len(persons) + index[person]
            for platform, person in work_use.pairs
            if platform in names and person in index
        ]
        return cls(
            catalogue,
            calendar,
            identities,
            work_use,
            persons,
            np.array(identities.boundaries(), dtype=np.int64),
            flags,
            np.array(sorted(pairs), dtype=np.int64),
        )

    def instant_in_segment(self, segment: int) -> int:
        """An instant inside lease segment `segment` (all instants there resolve alike)."""
        if segment > 0:
            return int(self.boundaries[segment - 1])
        return int(self.boundaries[0]) - 1 if len(self.boundaries) else 0

    def host_class(self, host: str) -> int:
        found = self.catalogue.platform_index(host)
        if found < 0 and self.catalogue.looks_social(host):
            return LOOKS_SOCIAL
        return found


@dataclass
class Chunk:
    """What a chunk contributes that depends on its place in the file."""

    lines: int
    unparsed_count: int
    unparsed_examples: list[tuple[int, str]]


@dataclass
class Totals:
    """A worker's counts in terms that do not depend on the worker (names, not ids)."""

    chunks: dict[tuple[int, int], Chunk] = field(default_factory=dict)
    requests: Counter[tuple[int, int]] = field(default_factory=Counter)
    unmapped_lines: int = 0
    unmapped: Counter[str] = field(default_factory=Counter)
    unmatched_social_hosts: Counter[str] = field(default_factory=Counter)
    social: CodeCounts = field(default_factory=CodeCounts)
    blocked: CodeCounts = field(default_factory=CodeCounts)
    minutes: CodeCounts = field(default_factory=CodeCounts)
    work_use_requests: int = 0

    def merge(self, other: Totals) -> None:
        self.chunks.update(other.chunks)
        self.requests.update(other.requests)
        self.unmapped_lines += other.unmapped_lines
        self.unmapped.update(other.unmapped)
        self.unmatched_social_hosts.update(other.unmatched_social_hosts)
        self.social.merge(other.social)
        self.blocked.merge(other.blocked)
        self.minutes.merge(other.minutes)
        self.work_use_requests += other.work_use_requests


def _grow(array: np.ndarray, size: int, fill: int) -> np.ndarray:
    if size <= len(array):
        return array
    new = np.full(max(size, 2 * len(array)), fill, dtype=array.dtype)
    new[: len(array)] = array
    return new


class Tally:
    """One worker's running counts; not shared between threads."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.segments = len(rules.boundaries) + 1
        self.idents: list[tuple[str, str]] = []
        self.hosts: list[str] = []
        self.ident_table = ByteTable()
        self.host_table = ByteTable()
        self.ident_ids: dict[tuple[str, str], int] = {}
        self.host_ids: dict[str, int] = {}
        self.host_class = np.full(1 << 10, UNKNOWN, dtype=np.int64)
        self.host_hits = np.zeros(1 << 10, dtype=np.int64)
        self.counts = CountTable()
        self.person_of_pair: dict[int, int] = {}
        self.person_index = {p: i for i, p in enumerate(rules.persons)}
        self.working: dict[int, bool] = {}
        self.totals = Totals()
        self.columns = squid.Columns()
        self.cover = np.zeros(2, dtype=np.int64)
        self.current = np.zeros((0, 3), dtype=np.int64)
        self.instants = np.zeros(1, dtype=np.int64)
        self.offsets = np.zeros(1, dtype=np.int64)

    def add_squid(
        self, tag: tuple[int, int], data: bytearray | mmap.mmap, size: int, start: int = 0
    ) -> None:
        """Parse and count a chunk of whole Squid native lines (data[start:size]; slack
        after)."""
        cols = self.columns
        cols.reserve((size - start) // squid.SHORTEST_LINE + 1)
        lines, parsed, bad = squid.scan(
            data, size, cols, self.ident_table, self.host_table, self, start
        )
        examples = [
            (int(i), bytes(memoryview(data)[s:e]).decode("utf-8", "replace")[:300])
            for i, s, e in cols.bad[: min(bad, MAX_EXAMPLES)].tolist()
        ]
        self.totals.chunks[tag] = Chunk(lines, bad, examples)
        for user, client in self.ident_table.new_entries():
            self.idents.append((user.decode("utf-8", "replace"), client.decode("latin-1")))
        self.hosts += [h.decode("latin-1") for h, _ in self.host_table.new_entries()]
        self._picked(cols.ident[:parsed], cols.host[:parsed], cols.denied, int(cols.counts[6]))

    def count_args(self) -> tuple[np.ndarray, ...]:
        """The arrays `kernels.scan_squid` counts with (see `squid.Counter`)."""
        rules = self.rules
        return (
            rules.boundaries,
            self.cover,
            self.instants,
            self.offsets,
            self.host_class,
            self.host_hits,
            self.counts.table,
            self.counts.meta,
            self.current,
            self.columns.pick,
            self.columns.seg,
            self.columns.local,
        )

    def make_room(self, hosts: ByteTable) -> None:
        """Room for every host and identity id the tables can reach, and in the count
        table."""
        limit = int(hosts.meta[2])
        self.host_class = _grow(self.host_class, limit, UNKNOWN)
        self.host_hits = _grow(self.host_hits, limit, 0)
        people = int(self.ident_table.meta[2])
        if people > len(self.current):
            current = np.zeros((max(people, 2 * len(self.current)), 3), dtype=np.int64)
            current[: len(self.current)] = self.current
            self.current = current
        if self.counts.meta[0] >= self.counts.meta[1]:
            self.counts.grow()

    def widen(self, instant: int) -> None:
        """Cover `instant` (and a year either side) in the UTC-offset table."""
        year = 366 * 86400
        lo = min(instant - year, int(self.cover[0])) if self.cover[1] else instant - year
        hi = max(instant + year, int(self.cover[1]))
        self.instants, self.offsets = self.rules.calendar.utc_offsets(lo, hi)
        self.cover = np.array(
            [(lo // 86400 - 1) * 86400, (hi // 86400 + 2) * 86400], dtype=np.int64
        )

    def add_parsed(self, tag: tuple[int, int], parsed: ParsedChunk) -> None:
        """Count a chunk parsed line by line in Python (combined and CSV formats)."""
        self.totals.chunks[tag] = Chunk(
            parsed.lines, parsed.unparsed_count, parsed.unparsed_examples
        )
        idents = np.array(
            [self.ident_ids.setdefault(k, len(self.ident_ids)) for k in parsed.idents] or [0],
            dtype=np.int64,
        )
        self.idents += list(self.ident_ids)[len(self.idents) :]
        hosts = np.array(
            [self.host_ids.setdefault(h, len(self.host_ids)) for h in parsed.hosts] or [0],
            dtype=np.int64,
        )
        self.hosts += list(self.host_ids)[len(self.hosts) :]
        if len(parsed.ts):
            self._count(parsed.ts, idents[parsed.ident], hosts[parsed.host], parsed.denied)

    def _person(self, pairs: np.ndarray) -> np.ndarray:
        """Person index (-1 unmapped) per identity-and-segment code."""
        known = self.person_of_pair
        index = self.person_index
        out = np.empty(len(pairs), dtype=np.int64)
        for i, pair in enumerate(pairs.tolist()):
            found = known.get(pair)
            if found is None:
                ident, segment = divmod(pair, self.segments)
                login, client = self.idents[ident]
                name = self.rules.identities.resolve(
                    login, client, self.rules.instant_in_segment(segment)
                )
                found = known[pair] = -1 if name is None else index[name]
            out[i] = found
        return out

    def _count(
        self, ts: np.ndarray, ident: np.ndarray, host: np.ndarray, denied: np.ndarray
    ) -> None:
        from engines.weblogs.native import kernel

        n = len(ts)
        if not n:
            return
        rules = self.rules
        self.host_class = _grow(self.host_class, len(self.hosts), UNKNOWN)
        self.host_hits = _grow(self.host_hits, len(self.hosts), 0)
        cols = self.columns
        cols.reserve(n)
        instants, offsets = rules.calendar.utc_offsets(int(ts.min()), int(ts.max()))
        state = np.zeros(2, dtype=np.int64)
        while True:
            kernel("tally")(
                ts,
                ident,
                host,
                n,
                rules.boundaries,
                instants,
                offsets,
                self.host_class,
                self.host_hits,
                self.counts.table,
                self.counts.meta,
                state,
                cols.pick,
                cols.seg,
                cols.local,
            )
            if state[0] >= n:
                break
            self.counts.grow()
        self._picked(ident, host, denied, int(state[1]))

    def _picked(self, ident: np.ndarray, host: np.ndarray, denied: np.ndarray, picked: int) -> None:
        """Calendar, work-use and minute rules for the lines the count loop picked."""
        rules = self.rules
        cols = self.columns
        pick = cols.pick[:picked]
        hosts = host[pick]
        cls = self.host_class[hosts]
        for h in np.unique(hosts[cls == UNKNOWN]).tolist():
            self.host_class[h] = rules.host_class(self.hosts[h])
        platform = self.host_class[hosts]
        social = np.flatnonzero(platform >= 0)
        if not len(social):
            return
        lines = pick[social]
        s_platform = platform[social]
        pairs = ident[lines] * self.segments + cols.seg[social]
        unique, inverse = np.unique(pairs, return_inverse=True)
        s_person = self._person(unique)[inverse]
        local = cols.local[social]
        s_day, s_second = local // 86400, local % 86400
        days = np.unique(s_day)
        for d in days.tolist():
            if d not in self.working:
                self.working[d] = rules.calendar.is_working_day(local_date(d))
        working = np.array([self.working[d] for d in days.tolist()], dtype=bool)
        keep = (s_person >= 0) & working[np.searchsorted(days, s_day)]
        keep &= rules.calendar.in_working_hours(s_second)
        work = (
            rules.work_platforms[s_platform] if len(rules.work_platforms) else np.zeros_like(keep)
        )
        if len(rules.work_pairs):
            work = work | np.isin(s_platform * len(rules.persons) + s_person, rules.work_pairs)
        self.totals.work_use_requests += int((keep & work).sum())
        keep &= ~work
        s_denied = denied[lines]
        person_day = (s_person << DAY_BITS) | (s_day + DAY_BIAS)
        self.totals.blocked.add(person_day[keep & s_denied])
        ok = keep & ~s_denied
        self.totals.social.add((person_day[ok] << PLATFORM_BITS) | s_platform[ok])
        self.totals.minutes.add(np.unique((person_day[ok] << MINUTE_BITS) | (s_second[ok] // 60)))

    def finish(self) -> Totals:
        """Turn identity and host ids into people and names."""
        totals = self.totals
        keys, days, values = self.counts.items()
        running = np.flatnonzero(self.current[:, 2] > 0)
        if len(running):
            rows = self.current[running]
            keys = np.concatenate([keys, running * self.segments + rows[:, 0]])
            days = np.concatenate([days, rows[:, 1]])
            values = np.concatenate([values, rows[:, 2]])
        if len(keys):
            unique, inverse = np.unique(keys, return_inverse=True)
            person = self._person(unique)[inverse]
            mapped = person >= 0
            codes = (person[mapped] << DAY_BITS) | (days[mapped] + DAY_BIAS)
            found, where = np.unique(codes, return_inverse=True)
            sums = np.bincount(where, weights=values[mapped]).astype(np.int64)
            mask = (1 << DAY_BITS) - 1
            for code, count in zip(found.tolist(), sums.tolist(), strict=True):
                totals.requests[(code >> DAY_BITS, (code & mask) - DAY_BIAS)] += count
            for key, count in zip(keys[~mapped].tolist(), values[~mapped].tolist(), strict=True):
                login, client = self.idents[key // self.segments]
                totals.unmapped[f"login {login}" if login != "-" else f"ip {client}"] += count
                totals.unmapped_lines += count
        seen = np.flatnonzero(self.host_hits[: len(self.hosts)] > 0)
        for h in seen[self.host_class[seen] == LOOKS_SOCIAL].tolist():
            totals.unmatched_social_hosts[self.hosts[h]] += int(self.host_hits[h])
        return totals
