"""Who made a request: proxy logins, and IP addresses leased to people for a time window."""

from __future__ import annotations

import csv
import hashlib
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from engines.weblogs.errors import WeblogsError

ALWAYS = (-(2**62), 2**62)

Window = tuple[int, int, str]


def _instant(value: str, tz: ZoneInfo, *, line: int, column: str, path: str) -> int:
    try:
        if len(value) == 10:
            moment = datetime.combine(date.fromisoformat(value), datetime.min.time())
        else:
            moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise WeblogsError(f"{path}, line {line}: {column} {value!r} is not a date/time") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return int(moment.timestamp())


@dataclass(frozen=True)
class Identities:
    """Maps a (login, client IP, time) to a person; anything not mapped stays unmapped.

    A request with a login is attributed through the login only: a login that is not
    listed is unmapped, never guessed from its IP. A request without one ("-") is
    attributed through the IP lease valid at that instant. Windows are [valid_from,
    valid_to); overlapping windows naming different people make the request unmapped.
    """

    by_login: dict[str, tuple[Window, ...]]
    by_ip: dict[str, tuple[Window, ...]]
    digest: str = ""

    @classmethod
    def from_rows(
        cls,
        rows: list[dict[str, str]],
        *,
        timezone: str = "Europe/London",
        origin: str = "identities",
    ) -> Identities:
        tz = ZoneInfo(timezone)
        by_login: dict[str, list[Window]] = {}
        by_ip: dict[str, list[Window]] = {}
        for number, row in enumerate(rows, start=2):
            person = (row.get("person") or "").strip()
            login = (row.get("login") or "").strip().lower()
            ip = (row.get("ip") or "").strip()
            if not person:
                raise WeblogsError(f"{origin}, line {number}: person is empty")
            if not login and not ip:
                raise WeblogsError(f"{origin}, line {number}: needs a login or an ip")
            start, end = ALWAYS
            if row.get("valid_from"):
                start = _instant(
                    row["valid_from"].strip(), tz, line=number, column="valid_from", path=origin
                )
            if row.get("valid_to"):
                end = _instant(
                    row["valid_to"].strip(), tz, line=number, column="valid_to", path=origin
                )
            if end <= start:
                raise WeblogsError(f"{origin}, line {number}: valid_to is not after valid_from")
            if login:
                by_login.setdefault(login, []).append((start, end, person))
            if ip:
                by_ip.setdefault(ip, []).append((start, end, person))
        blob = repr(sorted(by_login.items())) + repr(sorted(by_ip.items()))
        return cls(
            {k: tuple(sorted(v)) for k, v in by_login.items()},
            {k: tuple(sorted(v)) for k, v in by_ip.items()},
            hashlib.sha256(blob.encode()).hexdigest(),
        )

    @classmethod
    def from_csv(cls, path: Path, *, timezone: str = "Europe/London") -> Identities:
        try:
            with path.open(newline="", encoding="utf-8-sig") as fh:
                reader = csv.DictReader(fh)
                header = set(reader.fieldnames or ())
                if "person" not in header or not header & {"login", "ip"}:
                    raise WeblogsError(f"{path}: the header needs 'person' and 'login' and/or 'ip'")
                rows = list(reader)
        except OSError as exc:
            raise WeblogsError(f"{path}: cannot read identities ({exc.strerror})") from exc
        except (csv.Error, UnicodeDecodeError) as exc:
            raise WeblogsError(f"{path}: not a readable CSV file ({exc})") from exc
        return cls.from_rows(rows, timezone=timezone, origin=str(path))

    @property
    def persons(self) -> tuple[str, ...]:
        names = {w[2] for ws in self.by_login.values() for w in ws}
        names |= {w[2] for ws in self.by_ip.values() for w in ws}
        return tuple(sorted(names))

    def boundaries(self) -> tuple[int, ...]:
        """Every instant at which some mapping starts or stops holding."""
        edges = {edge for ws in self.by_ip.values() for w in ws for edge in w[:2]}
        edges |= {edge for ws in self.by_login.values() for w in ws for edge in w[:2]}
        return tuple(sorted(edges - set(ALWAYS)))

    def resolve(self, login: str | None, ip: str, instant: int) -> str | None:
        if login and login != "-":
            return _pick(self.by_login.get(login.lower(), ()), instant)
        return _pick(self.by_ip.get(ip, ()), instant)


def _pick(windows: tuple[Window, ...], instant: int) -> str | None:
    if not windows:
        return None
    found = {
        p
        for start, end, p in windows[: bisect_right(windows, (instant, 2**63))]
        if start <= instant < end
    }
    return found.pop() if len(found) == 1 else None
