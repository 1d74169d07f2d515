"""`analyse`: log files in, per-person working-day figures out.

Plain files are cut at newlines into ranges of about 16 MiB; worker threads read their
own ranges and a separate thread hashes the file (sha256 of the bytes analysed), so
hashing overlaps the compiled code's start-up and neither waits for the other.
Compressed files are read once by the calling thread, which hashes the bytes as they pass
(sha256 of the file as given) and decompresses them into chunks of whole lines.
Squid native is parsed in compiled loops that release the GIL (so two workers use two
cores), the other formats line by line in Python. Each worker keeps its own `Tally`; the
tallies are merged by name at the end, and per-chunk line counts put unparsed-line
numbers back in file order. The clock is never read.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import queue
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from engines.weblogs import combined
from engines.weblogs.analysis import Analysis, DayUse, SourceFile, UnparsedLine
from engines.weblogs.catalogue import Catalogue
from engines.weblogs.csvformat import PRESETS, CsvFormat, parse_mapping
from engines.weblogs.errors import WeblogsError
from engines.weblogs.identities import Identities
from engines.weblogs.parsed import MAX_EXAMPLES, ParsedChunk
from engines.weblogs.sources import (
    MAX_UNPACKED_BYTES,
    BufferPool,
    FileMap,
    FileRange,
    LineChunks,
    MappedRange,
    PrefixHash,
    compression_of,
    line_ranges,
    stream_chunks,
)
from engines.weblogs.tally import (
    DAY_BIAS,
    DAY_BITS,
    MINUTE_BITS,
    PLATFORM_BITS,
    Rules,
    Tally,
    Totals,
)
from engines.weblogs.workcalendar import Calendar, local_date
from engines.weblogs.workuse import WorkUse

ENGINE_VERSION = "1.3.1"
FORMATS = ("squid", "combined", "csv", *PRESETS)
CHUNK = 16 << 20

Parse = Callable[[bytes, Callable[[list[str]], object]], ParsedChunk]


def _format(
    fmt: str, columns: str | None, first: Path, kind: str, timezone: str, max_unpacked: int
) -> Parse | None:
    """The line-by-line parser for a format, or None for Squid native (compiled)."""
    if fmt == "squid":
        return None
    if fmt == "combined":
        return combined.parse_chunk  # type: ignore[return-value]
    if fmt not in FORMATS:
        raise WeblogsError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    mapping = dict(PRESETS.get(fmt, {}))
    if columns:
        mapping.update(parse_mapping(columns))
    elif fmt == "csv":
        raise WeblogsError("format csv needs a column mapping (--columns time=...,url=...)")
    first_chunk = next(stream_chunks(first, kind, 1 << 16, max_unpacked), b"")
    header = first_chunk.split(b"\n", 1)[0].rstrip(b"\r")
    if b"\r" in header:
        raise WeblogsError(
            f"{first}: line 1: lines end in a carriage return alone (as Excel for Mac's "
            "'CSV (Macintosh)' writes them); save the export as 'CSV UTF-8' and try again"
        )
    try:
        cells = next(csv.reader([header.decode("utf-8-sig", "replace")]), [])
    except csv.Error as exc:
        raise WeblogsError(f"{first}: line 1: cannot read the column names ({exc})") from exc
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


Job = tuple[tuple[int, int], bytearray | FileRange | MappedRange, int]


class Workers:
    """Threads that each count chunks into their own Tally; inline when there is one."""

    def __init__(self, count: int, rules: Rules, parse: Parse | None) -> None:
        self.parse = parse
        self.buffers = BufferPool(CHUNK)
        self.tallies = [Tally(rules) for _ in range(max(count, 1))]
        self.jobs: queue.Queue[Job | None] = queue.Queue(maxsize=2 * count)
        self.errors: list[BaseException] = []
        self.maps: list[FileMap | None] = []
        self.done: dict[int, Totals] = {}
        self.threads = [
            threading.Thread(target=self._loop, args=(t,), daemon=True)
            for t in self.tallies
            if count > 1
        ]
        for thread in self.threads:
            thread.start()

    def _work(self, tally: Tally, job: Job) -> None:
        tag, source, size = job
        if isinstance(source, MappedRange):
            tally.add_squid(tag, source.file.map, source.end, source.start)
            source.file.release(source.start, source.end)
            return
        data = source.read(self.buffers) if isinstance(source, FileRange) else source
        if self.parse is None:
            tally.add_squid(tag, data, size)
        else:
            tally.add_parsed(tag, self.parse(bytes(data[:size]), lambda _: None))
        self.buffers.put(data)

    def _loop(self, tally: Tally) -> None:
        while (job := self.jobs.get()) is not None:
            if not self.errors:
                try:
                    self._work(tally, job)
                except BaseException as exc:  # re-raised in the calling thread
                    self.errors.append(exc)
        # a worker done first turns its ids into names while the other still parses
        if not self.errors:
            try:
                self.done[id(tally)] = tally.finish()
            except BaseException as exc:
                self.errors.append(exc)

    def submit(self, job: Job) -> None:
        if self.errors:
            raise self.errors[0]
        if self.threads:
            self.jobs.put(job)
        else:
            self._work(self.tallies[0], job)

    def finish(self) -> Totals:
        for _ in self.threads:
            self.jobs.put(None)
        for thread in self.threads:
            thread.join()
        for mapped in self.maps:
            if mapped:
                mapped.close()
        if self.errors:
            raise self.errors[0]
        totals = Totals()
        for tally in self.tallies:
            totals.merge(self.done.get(id(tally)) or tally.finish())
        return totals


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
    checksums: bool = True,
    max_unpacked: int = MAX_UNPACKED_BYTES,
) -> Analysis:
    """Count each person's requests and working-hours social-media use per working day.

    `progress` is called in the calling thread with the number of input bytes (compressed
    size for compressed files) read since its last call. With `checksums` false the
    sources' sha256 are left empty: hashing costs a sixth of the run's CPU, and only saved
    figures need it. A gzip or zstd file that decompresses to more than `max_unpacked`
    bytes raises WeblogsError once it passes the limit.
    """
    files = [Path(p) for p in paths]
    if not files:
        raise WeblogsError("no log files given")
    work_use = work_use or WorkUse()
    unknown = sorted((work_use.platforms | {p for p, _ in work_use.pairs}) - set(catalogue.names))
    if unknown:
        raise WeblogsError(f"work use names platforms not in the catalogue: {', '.join(unknown)}")
    kinds = [compression_of(p) for p in files]
    parse = _format(fmt, columns, files[0], kinds[0], calendar.timezone, max_unpacked)
    rules = Rules.build(catalogue, calendar, identities, work_use)
    count = workers if workers is not None else min(2, os.cpu_count() or 1)
    if parse is not None:
        count = 1  # parsed in Python under the GIL: a second thread would only wait
    pool = Workers(count, rules, parse)
    digests: list[str | PrefixHash] = []
    try:
        for index, (path, kind) in enumerate(zip(files, kinds, strict=True)):
            if kind == "plain" and pool.threads:
                digests.append(_submit_ranges(pool, index, path, progress, checksums))
                continue
            reader = LineChunks(
                path, kind, CHUNK, pool.buffers, checksum=checksums, max_unpacked=max_unpacked
            )
            done = 0
            for number, (data, size) in enumerate(reader):
                pool.submit(((index, number), data, size))
                if progress:
                    progress(reader.consumed - done)
                    done = reader.consumed
            if progress and reader.consumed > done:
                progress(reader.consumed - done)
            digests.append(reader.sha256)
    finally:
        totals = pool.finish()
    return _result(
        totals,
        rules,
        fmt,
        columns,
        files,
        kinds,
        [d if isinstance(d, str) else d.result() for d in digests],
    )


def _submit_ranges(
    pool: Workers,
    index: int,
    path: Path,
    progress: Callable[[int], None] | None,
    checksum: bool,
) -> PrefixHash | str:
    """Hand a plain file to the workers as ranges of whole lines; hash it meanwhile."""
    try:
        size = path.stat().st_size
        ranges = line_ranges(path, CHUNK, size)
    except OSError as exc:
        raise WeblogsError(f"{path}: cannot read ({exc.strerror})") from exc
    digest = PrefixHash(path, size) if checksum else ""
    mapped = FileMap(path, size) if len(ranges) > 1 else None
    pool.maps.append(mapped)
    for number, (start, end) in enumerate(ranges):
        # the last range is copied out: the compiled loop reads a little past a range's end
        last = number == len(ranges) - 1
        source = (
            FileRange(path, start, end) if last or not mapped else MappedRange(mapped, start, end)
        )
        pool.submit(((index, number), source, end - start))
        if progress:
            progress(end - start)
    return digest


def _sources(
    totals: Totals, files: list[Path], kinds: list[str], digests: list[str]
) -> tuple[tuple[SourceFile, ...], tuple[UnparsedLine, ...]]:
    sources, examples = [], []
    for index, (path, kind, digest) in enumerate(zip(files, kinds, digests, strict=True)):
        chunks = sorted((k[1], c) for k, c in totals.chunks.items() if k[0] == index)
        lines = unparsed = 0
        for _, chunk in chunks:
            examples += [
                UnparsedLine(str(path), lines + n + 1, t) for n, t in chunk.unparsed_examples
            ]
            lines += chunk.lines
            unparsed += chunk.unparsed_count
        sources.append(SourceFile(str(path), digest, kind, path.stat().st_size, lines, unparsed))
    return tuple(sources), tuple(examples[:MAX_EXAMPLES])


def _platforms_by_person_day(
    codes: np.ndarray, counts: np.ndarray, names: tuple[str, ...]
) -> dict[int, tuple[tuple[tuple[str, int], ...], int]]:
    """Per person-day code: its ((platform name, requests), ...) in name order, and their
    sum. Grouped in numpy: a large file has hundreds of thousands of these counts."""
    if not len(codes):
        return {}
    rank = np.argsort(np.argsort(np.array(names, dtype=object)))
    person_day = codes >> PLATFORM_BITS
    platform = codes & ((1 << PLATFORM_BITS) - 1)
    order = np.lexsort((rank[platform], person_day))
    person_day, platform, counts = person_day[order], platform[order], counts[order]
    starts = np.flatnonzero(np.r_[True, person_day[1:] != person_day[:-1]])
    sums = np.add.reduceat(counts, starts).tolist()
    pairs = list(zip([names[p] for p in platform.tolist()], counts.tolist(), strict=True))
    bounds = [*starts.tolist(), len(pairs)]
    return {
        key: (tuple(pairs[bounds[i] : bounds[i + 1]]), sums[i])
        for i, key in enumerate(person_day[starts].tolist())
    }


def _result(
    totals: Totals,
    rules: Rules,
    fmt: str,
    columns: str | None,
    files: list[Path],
    kinds: list[str],
    digests: list[str],
) -> Analysis:
    sources, examples = _sources(totals, files, kinds, digests)
    codes, _ = totals.minutes.result()
    values, counts = np.unique(codes >> MINUTE_BITS, return_counts=True)
    minutes = dict(zip(values.tolist(), counts.tolist(), strict=True))
    blocked = dict(zip(*(a.tolist() for a in totals.blocked.result()), strict=True))
    platforms = _platforms_by_person_day(*totals.social.result(), rules.catalogue.names)
    working: dict[int, bool] = {}
    days = []
    for (person, day), requests in sorted(totals.requests.items()):
        if day not in working:
            working[day] = rules.calendar.is_working_day(local_date(day))
        if not working[day]:
            continue
        code = (person << DAY_BITS) | (day + DAY_BIAS)
        used, social = platforms.get(code, ((), 0))
        days.append(
            DayUse(
                person=rules.persons[person],
                date=local_date(day),
                requests=requests,
                social_requests=social,
                social_minutes=minutes.get(code, 0),
                blocked_social_requests=blocked.get(code, 0),
                platforms=used,
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
        lines=sum(s.lines for s in sources),
        unparsed_lines=sum(s.unparsed_lines for s in sources),
        unparsed_examples=examples,
        unmapped_lines=totals.unmapped_lines,
        unmapped_identities=tuple(totals.unmapped.most_common(MAX_EXAMPLES)),
        unmapped_platform_lines=sum(totals.unmatched_social_hosts.values()),
        unmapped_platform_hosts=tuple(totals.unmatched_social_hosts.most_common(MAX_EXAMPLES)),
        work_use_requests=totals.work_use_requests,
    )
