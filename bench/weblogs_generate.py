"""Write a realistic, invented Squid native access log plus its calendar and identities.

Deterministic from a seed, so the benchmark and the equality test can regenerate the same
file. 600 staff across six schools: four authenticate at the proxy (a login in the user
field), two do not (user "-", identified by DHCP leases that rotate weekly). School days,
evenings and weekends; CONNECT and plain requests; about 7 % social media, some denied;
the elapsed field right-aligned in six columns as Squid writes it; a few malformed lines.
"""

from __future__ import annotations

import argparse
import csv
import json
import tomllib
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

SCHOOLS = ["rivington", "anderton", "belmont", "chorley", "darwen", "edgworth"]
AUTH_SCHOOLS = 4
STAFF_PER_SCHOOL = 100
FIRST_DAY = date(2025, 3, 3)
DAYS = 35
TZ = ZoneInfo("Europe/London")
SOCIAL_SHARE = 0.07
SURNAMES = [
    "smith",
    "jones",
    "taylor",
    "brown",
    "williams",
    "wilson",
    "johnson",
    "davies",
    "patel",
    "wright",
    "walker",
    "evans",
    "thomas",
    "roberts",
    "khan",
    "lewis",
]
PREFIXES = ["", "www.", "m.", "api.", "static.", "scontent-lhr8-1.", "video.", "i."]
CATALOGUE = Path(__file__).resolve().parent.parent / "engines/weblogs/data/platforms.toml"


def staff_logins() -> list[tuple[str, str, int, int]]:
    """(person, login, school, index) for every member of staff."""
    out = []
    for school_no, school in enumerate(SCHOOLS):
        for n in range(STAFF_PER_SCHOOL):
            initial = "abcdefghijklmnopqrstuvwxyz"[(n * 7) % 26]
            login = f"{initial}{SURNAMES[n % len(SURNAMES)]}{n:02d}@{school}.sch.example"
            out.append((f"{school}-{n:03d}", login, school_no, n))
    return out


def desk_ip(school_no: int, slot: int) -> str:
    return f"10.{school_no + 10}.{slot // 200}.{slot % 200 + 20}"


def lease_slot(n: int, week: int) -> int:
    return (n + week * 17) % 150


def host_pools(rng: np.random.Generator) -> tuple[list[str], list[str]]:
    catalogue = tomllib.loads(CATALOGUE.read_text())
    social = [p + d for pl in catalogue["platform"] for d in pl["domains"] for p in PREFIXES[:4]]
    words = ["learn", "maths", "news", "weather", "library", "science", "cdn", "static", "shop"]
    tlds = [".co.uk", ".com", ".org.uk", ".net", ".ac.uk", ".gov.uk"]
    other = [
        f"{rng.choice(['www.', 'cdn.', 'api.', ''])}{rng.choice(words)}{i}{rng.choice(tlds)}"
        for i in range(3000)
    ]
    other += [
        "www.bbc.co.uk",
        "login.microsoftonline.com",
        "classroom.google.com",
        "evilfacebook.com",
        "notyoutube.com",
        "chat.example-social.net",
        "mastodon.example.org",
        "www.gov.uk",
        "outlook.office365.com",
    ]
    return social, other


def write_sidecars(out: Path) -> None:
    calendar = {
        "timezone": "Europe/London",
        "weekdays": [0, 1, 2, 3, 4],
        "start": "08:30",
        "end": "15:30",
        "breaks": [["12:00", "13:00"]],
        "term_dates": [["2025-02-24", "2025-04-04"]],
        "closed_days": ["2025-03-21"],
    }
    (out.parent / (out.name + ".calendar.json")).write_text(json.dumps(calendar, indent=1))
    with (out.parent / (out.name + ".identities.csv")).open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["person", "login", "ip", "valid_from", "valid_to"])
        for person, login, school_no, n in staff_logins():
            if school_no < AUTH_SCHOOLS:
                w.writerow([person, login, "", "", ""])
                continue
            for week in range(DAYS // 7 + 1):
                start = datetime.combine(FIRST_DAY + timedelta(weeks=week), datetime.min.time(), TZ)
                end = start + timedelta(weeks=1)
                ip = desk_ip(school_no, lease_slot(n, week))
                w.writerow([person, "", ip, start.isoformat(), end.isoformat()])


def day_lines(
    rng: np.random.Generator,
    day: date,
    count: int,
    pools: tuple[list[str], list[str]],
    staff: list[tuple[str, str, int, int]],
    week: int,
) -> list[str]:
    social, other = pools
    weekend = day.weekday() >= 5
    midnight = int(datetime.combine(day, datetime.min.time(), TZ).timestamp())
    hours = rng.choice(
        [0, 1, 2], size=count, p=[0.05, 0.8, 0.15] if not weekend else [0.3, 0.2, 0.5]
    )
    secs = np.where(
        hours == 0,
        rng.integers(0, 8 * 3600, count),
        np.where(
            hours == 1,
            rng.integers(8 * 3600, 16 * 3600, count),
            rng.integers(16 * 3600, 24 * 3600, count),
        ),
    )
    ts = np.sort(midnight + secs) * 1000 + rng.integers(0, 1000, count)
    who = rng.integers(0, len(staff) + 30, count)
    is_social = rng.random(count) < SOCIAL_SHARE
    host_ix = np.where(
        is_social, rng.integers(0, len(social), count), rng.integers(0, len(other), count)
    )
    connect = rng.random(count) < 0.75
    denied = rng.random(count) < np.where(is_social, 0.08, 0.01)
    elapsed = rng.lognormal(5.5, 1.6, count).astype(np.int64)
    size = rng.integers(200, 90000, count)
    paths = rng.integers(0, 100000, count)
    lines = []
    for i in range(count):
        w = int(who[i])
        if w >= len(staff):
            client, user = f"10.99.{w % 4}.{w % 200 + 2}", "-"
        else:
            _, login, school_no, n = staff[w]
            if school_no < AUTH_SCHOOLS:
                client, user = desk_ip(school_no, n), login
            else:
                client, user = desk_ip(school_no, lease_slot(n, week)), "-"
        host = social[host_ix[i]] if is_social[i] else other[host_ix[i]]
        if connect[i]:
            method, url, kind = "CONNECT", f"{host}:443", "-"
            code = "TCP_DENIED/403" if denied[i] else "TCP_TUNNEL/200"
        else:
            method, kind = "GET", "text/html"
            url = f"http://{host}/content/{paths[i]}/index.html?ref=home&session={paths[i] * 7}"
            code = "TCP_DENIED/403" if denied[i] else ("TCP_MISS/200" if i % 3 else "TCP_HIT/200")
        hier = "HIER_NONE/-" if denied[i] else f"HIER_DIRECT/203.0.113.{i % 200 + 1}"
        t = int(ts[i])
        lines.append(
            f"{t // 1000}.{t % 1000:03d} {elapsed[i]:6d} {client} {code} {size[i]} "
            f"{method} {url} {user} {hier} {kind}\n"
        )
        if i % 250_000 == 124_999:
            lines.append(f"{t // 1000}.{t % 1000:03d} truncated line {client}\n")
    return lines


def generate(out: Path, lines: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    pools = host_pools(rng)
    staff = staff_logins()
    weights = np.array(
        [0.25 if (FIRST_DAY + timedelta(d)).weekday() >= 5 else 1.0 for d in range(DAYS)]
    )
    per_day = np.floor(weights / weights.sum() * lines).astype(int)
    per_day[0] += lines - per_day.sum()
    with out.open("w") as fh:
        for d in range(DAYS):
            fh.writelines(
                day_lines(rng, FIRST_DAY + timedelta(d), int(per_day[d]), pools, staff, d // 7)
            )
    write_sidecars(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--out", type=Path, default=Path("bench/out/squid-access.log"))
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    generate(args.out, args.lines, args.seed)
    print(args.out)


if __name__ == "__main__":
    main()
