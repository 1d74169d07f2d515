"""`analyse`: log files in, per-person working-day figures out.

Plain files are cut into byte ranges at newlines and counted by worker processes (two
cores, two workers); compressed files are decompressed here and their chunks handed to
the same workers. Each worker counts its chunks into a `Tally`; tallies are merged in
file order so that line numbers stay right. The clock is never read.
"""

from __future__ import annotations

import csv
import hashlib
import json
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from engines.weblogs import combined, squid
from engines.weblogs.analysis import Analysis, DayUse, SourceFile, UnparsedLine
from engines.weblogs.catalogue import Catalogue
from engines.weblogs.csvformat import PRESETS, CsvFormat, parse_mapping
from engines.weblogs.errors import WeblogsError
from engines.weblogs.identities import Identities
from engines.weblogs.parsed import MAX_EXAMPLES, ParsedChunk
from engines.weblogs.sources import (
    chunks_of_range,
    compression_of,
    line_ranges,
    sha256_of,
    stream_chunks,
)
from engines.weblogs.tally import DAY_BITS, MINUTE_BITS, HostClassifier, Rules, Tally
from engines.weblogs.workcalendar import Calendar, local_date
from engines.weblogs.workuse import WorkUse

ENGINE_VERSION = "1.0.0"
FORMATS = ("squid", "combined", "csv", *PRESETS)
CHUNK = 4 << 20
RANGE = 16 << 20

Parse = Callable[[bytes, Callable[[list[str]], object]], ParsedChunk]


@dataclass(frozen=True)
class Task:
    path: str
    start: int = 0
    end: int = 0
    data: bytes = b""


_rules: Rules | None = None
_parse: Parse | None = None
_classify: HostClassifier | None = None


def _init(rules: Rules, parse: Parse) -> None:
    global _rules, _parse, _classify
    _rules, _parse, _classify = rules, parse, HostClassifier(rules.catalogue)


def _run(task: Task) -> tuple[Tally, int]:
    assert _rules is not None
    assert _parse is not None
    assert _classify is not None
    classify = _classify
    tally = Tally()
    chunks = (
        [task.data] if task.data else chunks_of_range(Path(task.path), task.start, task.end, CHUNK)
    )
    size = 0
    for chunk in chunks:
        size += len(chunk)
        tally.add(_parse(chunk, lambda hosts: classify(hosts) >= 0), _rules, classify)
    return tally, size


def _format(fmt: str, columns: str | None, first: Path, kind: str, timezone: str) -> Parse:
    if fmt == "squid":
        return squid.parse_chunk  # type: ignore[return-value]
    if fmt == "combined":
        return combined.parse_chunk  # type: ignore[return-value]
    if fmt not in FORMATS:
        raise WeblogsError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    mapping = dict(PRESETS.get(fmt, {}))
    if columns:
        mapping.update(parse_mapping(columns))
    elif fmt == "csv":
        raise WeblogsError("format csv needs a column mapping (--columns time=...,url=...)")
    header = next(stream_chunks(first, kind, 1 << 16), b"").split(b"\n", 1)[0]
    cells = next(csv.reader([header.decode("utf-8-sig", "replace")]), [])
    return CsvFormat.from_header(cells, mapping, timezone=timezone, origin=str(first)).parse_chunk  # type: ignore[return-value]


def rules_fingerprint(
    fmt: str, columns: str | None, catalogue: Catalogue, calendar: Calendar, work_use: WorkUse
) -> str:
    """A digest of every rule that shapes the figures, stored beside each aggregate."""
    blob = json.dumps(
        {
            "engine": ENGINE_VERSION,
            "format": fmt,
            "columns": columns,
            "catalogue": catalogue.fingerprint_source(),
            "calendar": calendar.to_dict(),
            "work_use": work_use.fingerprint_source(),
        },
        sort_keys=True,
    )
    return hashlib.sha256(blob.encode()).hexdigest()


def _tasks(path: Path, kind: str) -> Iterator[Task]:
    if kind == "plain":
        for start, end in line_ranges(path, RANGE):
            yield Task(str(path), start, end)
        return
    for data in stream_chunks(path, kind, RANGE // 4):
        yield Task(str(path), data=data)


def analyse(
    paths: Iterable[Path | str],
    *,
    fmt: str,
    catalogue: Catalogue,
    identities: Identities,
    calendar: Calendar,
    work_use: WorkUse | None = None,
    columns: str | None = None,
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
) -> Analysis:
    """Count each person's requests and working-hours social-media use per working day.

    `progress` is called with the number of input bytes (compressed size for
    compressed files) done since its last call.
    """
    files = [Path(p) for p in paths]
    if not files:
        raise WeblogsError("no log files given")
    work_use = work_use or WorkUse()
    unknown = sorted((work_use.platforms | {p for p, _ in work_use.pairs}) - set(catalogue.names))
    if unknown:
        raise WeblogsError(f"work use names platforms not in the catalogue: {', '.join(unknown)}")
    kinds = [compression_of(p) for p in files]
    parse = _format(fmt, columns, files[0], kinds[0], calendar.timezone)
    rules = Rules.build(catalogue, calendar, identities, work_use)
    workers = workers if workers is not None else min(2, os.cpu_count() or 1)

    digests: dict[int, str] = {}
    hasher = threading.Thread(
        target=lambda: digests.update({i: sha256_of(p) for i, p in enumerate(files)})
    )
    tallies = [Tally() for _ in files]
    tasks = (
        (i, t) for i, (p, k) in enumerate(zip(files, kinds, strict=True)) for t in _tasks(p, k)
    )
    order = []

    def tagged() -> Iterator[Task]:
        for index, task in tasks:
            order.append(index)
            yield task

    pool = None
    if workers > 1:
        pool = multiprocessing.get_context("fork").Pool(workers, _init, (rules, parse))
    else:
        _init(rules, parse)
    hasher.start()
    try:
        results = pool.imap(_run, tagged()) if pool else map(_run, tagged())
        for done, (part, size) in enumerate(results):
            index = order[done]
            tallies[index].merge(part)
            if progress:
                progress(size if kinds[index] == "plain" else 0)
    finally:
        if pool:
            pool.terminate()
        hasher.join()
    total = Tally()
    sources, examples = [], []
    for path, kind, tally, i in zip(files, kinds, tallies, range(len(files)), strict=True):
        sources.append(
            SourceFile(
                str(path), digests[i], kind, path.stat().st_size, tally.lines, tally.unparsed_count
            )
        )
        examples += [UnparsedLine(str(path), n + 1, t) for n, t in tally.unparsed_examples]
        total.merge(tally)
    return _result(total, rules, fmt, columns, tuple(sources), tuple(examples[:MAX_EXAMPLES]))


def _result(
    total: Tally,
    rules: Rules,
    fmt: str,
    columns: str | None,
    sources: tuple[SourceFile, ...],
    examples: tuple[UnparsedLine, ...],
) -> Analysis:
    minutes: dict[tuple[int, int], int] = {}
    if total.minutes:
        codes = np.unique(np.concatenate(total.minutes)) >> MINUTE_BITS
        values, counts = np.unique(codes, return_counts=True)
        mask = (1 << DAY_BITS) - 1
        for value, count in zip(values.tolist(), counts.tolist(), strict=True):
            minutes[(value >> DAY_BITS, value & mask)] = count
    platforms: dict[tuple[int, int], dict[str, int]] = {}
    names = rules.catalogue.names
    for (person, day, platform), count in total.social.items():
        platforms.setdefault((person, day), {})[names[platform]] = count
    working: dict[int, bool] = {}
    days = []
    for (person, day), requests in sorted(total.requests.items()):
        if day not in working:
            working[day] = rules.calendar.is_working_day(local_date(day))
        if not working[day]:
            continue
        used = platforms.get((person, day), {})
        days.append(
            DayUse(
                person=rules.persons[person],
                date=local_date(day),
                requests=requests,
                social_requests=sum(used.values()),
                social_minutes=minutes.get((person, day), 0),
                blocked_social_requests=total.blocked.get((person, day), 0),
                platforms=tuple(sorted(used.items())),
            )
        )
    return Analysis(
        engine_version=ENGINE_VERSION,
        rules_fingerprint=rules_fingerprint(
            fmt, columns, rules.catalogue, rules.calendar, rules.work_use
        ),
        format=fmt,
        sources=sources,
        days=tuple(days),
        lines=total.lines,
        unparsed_lines=total.unparsed_count,
        unparsed_examples=examples,
        unmapped_lines=total.unmapped_lines,
        unmapped_identities=tuple(total.unmapped.most_common(MAX_EXAMPLES)),
        unmapped_platform_lines=sum(total.unmatched_social_hosts.values()),
        unmapped_platform_hosts=tuple(total.unmatched_social_hosts.most_common(MAX_EXAMPLES)),
        work_use_requests=total.work_use_requests,
    )
