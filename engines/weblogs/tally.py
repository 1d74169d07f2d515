"""Counting one parsed chunk into per-person, per-day figures, and merging the counts.

Identity, calendar and catalogue rules run once per distinct value in a chunk (an
identity in a time segment, a day, a host), then spread to lines with numpy indexing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from engines.weblogs.catalogue import Catalogue
from engines.weblogs.identities import Identities
from engines.weblogs.parsed import MAX_EXAMPLES, ParsedChunk
from engines.weblogs.workcalendar import Calendar, local_date
from engines.weblogs.workuse import WorkUse

DAY_BITS = 20
MINUTE_BITS = 11


@dataclass
class Rules:
    """Everything a worker needs besides the log bytes; pickled once per worker."""

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


LOOKS_SOCIAL = -2


class HostClassifier:
    """Platform index per host name, remembered across chunks (hosts repeat endlessly).

    -1 is an ordinary host; LOOKS_SOCIAL a host outside the catalogue that looks social.
    """

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.known: dict[str, int] = {}
        self._last: tuple[list[str], np.ndarray] | None = None

    def _classify(self, host: str) -> int:
        found = self.catalogue.platform_index(host)
        if found < 0 and self.catalogue.looks_social(host):
            return LOOKS_SOCIAL
        return found

    def __call__(self, hosts: list[str]) -> np.ndarray:
        if self._last is not None and self._last[0] is hosts:
            return self._last[1]
        known = self.known
        out = []
        for host in hosts:
            found = known.get(host)
            if found is None:
                found = known[host] = self._classify(host)
            out.append(found)
        result = np.array(out, dtype=np.int64)
        self._last = (hosts, result)
        return result


@dataclass
class Tally:
    lines: int = 0
    unparsed_count: int = 0
    unparsed_examples: list[tuple[int, str]] = field(default_factory=list)
    requests: Counter[tuple[int, int]] = field(default_factory=Counter)
    social: Counter[tuple[int, int, int]] = field(default_factory=Counter)
    blocked: Counter[tuple[int, int]] = field(default_factory=Counter)
    minutes: list[np.ndarray] = field(default_factory=list)
    unmapped_lines: int = 0
    unmapped: Counter[str] = field(default_factory=Counter)
    unmatched_social_hosts: Counter[str] = field(default_factory=Counter)
    work_use_requests: int = 0

    def merge(self, other: Tally) -> None:
        """Append a tally of the lines that follow this one's."""
        room = MAX_EXAMPLES - len(self.unparsed_examples)
        self.unparsed_examples += [(self.lines + i, t) for i, t in other.unparsed_examples[:room]]
        self.lines += other.lines
        self.unparsed_count += other.unparsed_count
        self.requests.update(other.requests)
        self.social.update(other.social)
        self.blocked.update(other.blocked)
        self.minutes += other.minutes
        self.compact()
        self.unmapped_lines += other.unmapped_lines
        self.unmapped.update(other.unmapped)
        self.unmatched_social_hosts.update(other.unmatched_social_hosts)
        self.work_use_requests += other.work_use_requests

    def compact(self) -> None:
        if len(self.minutes) > 32:
            self.minutes = [np.unique(np.concatenate(self.minutes))]

    def add(self, parsed: ParsedChunk, rules: Rules, classify: HostClassifier) -> None:
        self.merge(_count(parsed, rules, classify))


def _codes(*parts: tuple[np.ndarray, int]) -> np.ndarray:
    code = np.zeros(len(parts[0][0]), dtype=np.int64)
    for values, bits in parts:
        code = (code << bits) | values
    return code


def _counter(code: np.ndarray, split: tuple[int, ...]) -> Counter[tuple[int, ...]]:
    values, counts = np.unique(code, return_counts=True)
    out: Counter[tuple[int, ...]] = Counter()
    for value, count in zip(values.tolist(), counts.tolist(), strict=True):
        key = []
        for bits in reversed(split):
            key.append(value & ((1 << bits) - 1))
            value >>= bits
        key.append(value)
        out[tuple(reversed(key))] = count
    return out


def _count(parsed: ParsedChunk, rules: Rules, classify: HostClassifier) -> Tally:
    tally = Tally(parsed.lines, parsed.unparsed_count, list(parsed.unparsed_examples))
    ts = parsed.ts
    if not len(ts):
        return tally
    instants, offsets = rules.calendar.utc_offsets(int(ts.min()), int(ts.max()))
    local = ts + offsets[np.searchsorted(instants, ts, side="right") - 1]
    day, second = local // 86400, local % 86400

    segments = len(rules.boundaries) + 1
    key = parsed.ident * segments + np.searchsorted(rules.boundaries, ts, side="right")
    _, first, inverse, line_counts = np.unique(
        key, return_index=True, return_inverse=True, return_counts=True
    )
    index = {p: i for i, p in enumerate(rules.persons)}
    who = []
    for rep, lines in zip(first.tolist(), line_counts.tolist(), strict=True):
        login, client = parsed.idents[parsed.ident[rep]]
        name = rules.identities.resolve(login, client, int(ts[rep]))
        if name is None:
            tally.unmapped[f"login {login}" if login != "-" else f"ip {client}"] += lines
            tally.unmapped_lines += lines
        who.append(-1 if name is None else index[name])
    person = np.array(who, dtype=np.int64)[inverse]
    mapped = person >= 0
    requests = _counter(_codes((person[mapped], 0), (day[mapped], DAY_BITS)), (DAY_BITS,))
    tally.requests.update(requests)  # type: ignore[arg-type]

    host_platform = classify(parsed.hosts)
    per_host = np.bincount(parsed.host, minlength=len(parsed.hosts))
    for h in np.flatnonzero((host_platform == LOOKS_SOCIAL) & (per_host > 0)).tolist():
        tally.unmatched_social_hosts[parsed.hosts[h]] += int(per_host[h])

    platform = host_platform[parsed.host]
    social = np.flatnonzero(mapped & (platform >= 0))
    if not len(social):
        return tally
    s_day, s_second, s_person, s_platform = (
        day[social],
        second[social],
        person[social],
        platform[social],
    )
    days = np.unique(s_day)
    working = np.array(
        [rules.calendar.is_working_day(local_date(d)) for d in days.tolist()], dtype=bool
    )
    keep = working[np.searchsorted(days, s_day)]
    keep &= rules.calendar.in_working_hours(s_second)
    work = rules.work_platforms[s_platform] if len(rules.work_platforms) else np.zeros_like(keep)
    if len(rules.work_pairs):
        work = work | np.isin(s_platform * len(rules.persons) + s_person, rules.work_pairs)
    tally.work_use_requests += int((keep & work).sum())
    keep &= ~work
    denied = parsed.denied[social]
    held = keep & denied
    blocked = _counter(_codes((s_person[held], 0), (s_day[held], DAY_BITS)), (DAY_BITS,))
    tally.blocked.update(blocked)  # type: ignore[arg-type]
    ok = keep & ~denied
    social_codes = _codes((s_person[ok], 0), (s_day[ok], DAY_BITS), (s_platform[ok], 8))
    tally.social.update(_counter(social_codes, (DAY_BITS, 8)))  # type: ignore[arg-type]
    minute = s_second[ok] // 60
    tally.minutes.append(
        np.unique(_codes((s_person[ok], 0), (s_day[ok], DAY_BITS), (minute, MINUTE_BITS)))
    )
    return tally
