"""Small invented Squid logs, written at chosen school-local times on recent weekdays."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def last_monday(today: dt.date | None = None) -> dt.date:
    today = today or dt.date.today()
    return today - dt.timedelta(days=today.weekday() + 7)


def squid_line(
    day: dt.date, clock: str, login: str, url: str, *, ip: str = "10.1.1.5", denied: bool = False
) -> str:
    hour, minute = (int(x) for x in clock.split(":"))
    moment = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)
    code = "TCP_DENIED/403" if denied else "TCP_MISS/200"
    method = "CONNECT" if ":443" in url else "GET"
    stamp = f"{moment.timestamp():.3f}"
    return f"{stamp}     12 {ip} {code} 512 {method} {url} {login} HIER_DIRECT/192.0.2.1 -"


def write_log(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def busy_day(day: dt.date, login: str, minutes: int, *, start: str = "09:00") -> list[str]:
    """`minutes` distinct minutes of Facebook in lesson time, then a work site."""
    hour, minute = (int(x) for x in start.split(":"))
    lines = []
    for i in range(minutes):
        total = hour * 60 + minute + i
        lines.append(
            squid_line(day, f"{total // 60:02d}:{total % 60:02d}", login, "www.facebook.com:443")
        )
    lines.append(squid_line(day, "10:30", login, "http://www.example.org/lesson-plan"))
    return lines
