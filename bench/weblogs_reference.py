"""Plain-Python split-and-count reference for Squid native logs: the baseline to beat.

Written independently of the engine (only the catalogue data file is shared) so that a
test can check the engine gives identical rows on the same file.
Usage: weblogs_reference.py LOG CALENDAR.json IDENTITIES.csv [WORK_USE.csv]
"""

from __future__ import annotations

import csv
import json
import re
import sys
import tomllib
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

CATALOGUE = Path(__file__).resolve().parent.parent / "engines/weblogs/data/platforms.toml"
STAMP = re.compile(r"\d{10}\.\d{3}")


def load_identities(path: Path, tz: ZoneInfo) -> dict[str, list[tuple[float, float, str]]]:
    table: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
    for row in csv.DictReader(path.read_text().splitlines()):

        def when(v: str | None, default: float) -> float:
            if not v:
                return default
            m = datetime.fromisoformat(v)
            return (m if m.tzinfo else m.replace(tzinfo=tz)).timestamp()

        span = (when(row.get("valid_from"), -1e18), when(row.get("valid_to"), 1e18), row["person"])
        if row.get("login"):
            table["login " + row["login"].strip().lower()].append(span)
        if row.get("ip"):
            table["ip " + row["ip"].strip()].append(span)
    return table


def main() -> None:
    log, cal_path, ids_path = (Path(a) for a in sys.argv[1:4])
    cal = json.loads(cal_path.read_text())
    tz = ZoneInfo(cal["timezone"])

    def secs(t: str) -> int:
        v = time.fromisoformat(t)
        return v.hour * 3600 + v.minute * 60 + v.second

    start, end = secs(cal["start"]), secs(cal["end"])
    breaks = [(secs(a), secs(b)) for a, b in cal.get("breaks", [])]
    terms = [(date.fromisoformat(a), date.fromisoformat(b)) for a, b in cal.get("term_dates", [])]
    closed = {date.fromisoformat(d) for d in cal.get("closed_days", [])}
    weekdays = set(cal.get("weekdays", [0, 1, 2, 3, 4]))
    suffix = {
        d: p["name"] for p in tomllib.loads(CATALOGUE.read_text())["platform"] for d in p["domains"]
    }
    ids = load_identities(ids_path, tz)
    work: set[tuple[str, str]] = set()
    if len(sys.argv) > 4:
        work = {
            (r["platform"], r.get("person") or "")
            for r in csv.DictReader(Path(sys.argv[4]).read_text().splitlines())
        }

    offsets: dict[int, int] = {}
    requests: Counter[tuple[str, date]] = Counter()
    social: dict[tuple[str, date], Counter[str]] = defaultdict(Counter)
    minutes: dict[tuple[str, date], set[int]] = defaultdict(set)
    blocked: Counter[tuple[str, date]] = Counter()
    with log.open("rb") as fh:
        for raw in fh:
            f = raw.decode("utf-8", "replace").split()
            if len(f) != 10 or not STAMP.fullmatch(f[0]):
                continue
            ts = int(f[0][:10])
            key = "login " + f[7].lower() if f[7] != "-" else "ip " + f[2]
            hits = {p for a, b, p in ids.get(key, ()) if a <= ts < b}
            person = hits.pop() if len(hits) == 1 else None
            if person is None:
                continue
            hour = ts // 3600
            if hour not in offsets:
                offset = datetime.fromtimestamp(hour * 3600, UTC).astimezone(tz).utcoffset()
                offsets[hour] = int(offset.total_seconds()) if offset is not None else 0
            local = ts + offsets[hour]
            day = date.fromordinal(date(1970, 1, 1).toordinal() + local // 86400)
            sod = local % 86400
            requests[(person, day)] += 1
            url = f[6]
            if f[5] != "CONNECT":
                s = url.find("://", 0, 16)
                if s >= 0:
                    url = url[s + 3 :]
            host = re.split(r"[/:?# ]", url, maxsplit=1)[0].lower()
            platform = None
            while host:
                if host in suffix:
                    platform = suffix[host]
                    break
                host = host.partition(".")[2]
            if platform is None:
                continue
            working_day = (
                day.weekday() in weekdays
                and day not in closed
                and (not terms or any(a <= day <= b for a, b in terms))
            )
            in_hours = start <= sod < end and not any(a <= sod < b for a, b in breaks)
            if (
                not (working_day and in_hours)
                or (platform, "") in work
                or (platform, person) in work
            ):
                continue
            if "DENIED" in f[3]:
                blocked[(person, day)] += 1
            else:
                social[(person, day)][platform] += 1
                minutes[(person, day)].add(sod // 60)
    out = sys.stdout
    for (person, day), n in sorted(requests.items()):
        if not (
            day.weekday() in weekdays
            and day not in closed
            and (not terms or any(a <= day <= b for a, b in terms))
        ):
            continue
        used = social.get((person, day), Counter())
        out.write(
            json.dumps(
                {
                    "person": person,
                    "date": day.isoformat(),
                    "requests": n,
                    "social_requests": sum(used.values()),
                    "social_minutes": len(minutes.get((person, day), ())),
                    "blocked_social_requests": blocked.get((person, day), 0),
                    "platforms": dict(sorted(used.items())),
                },
                separators=(",", ":"),
            )
            + "\n"
        )


if __name__ == "__main__":
    main()
