"""The engine's answer: frozen values that the CLI prints and the Django app stores."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class DayUse:
    """One person's use on one working day.

    `requests` counts the whole day; the social figures count working hours outside
    breaks; denied requests count only in `blocked_social_requests`.
    """

    person: str
    date: date
    requests: int
    social_requests: int
    social_minutes: int
    blocked_social_requests: int
    platforms: tuple[tuple[str, int], ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "person": self.person,
            "date": self.date.isoformat(),
            "requests": self.requests,
            "social_requests": self.social_requests,
            "social_minutes": self.social_minutes,
            "blocked_social_requests": self.blocked_social_requests,
            "platforms": dict(self.platforms),
        }


@dataclass(frozen=True)
class UnparsedLine:
    source: str
    line: int
    text: str


@dataclass(frozen=True)
class SourceFile:
    """One input file; `sha256` is empty when the analysis was asked not to hash."""

    path: str
    sha256: str
    compression: str
    size: int
    lines: int
    unparsed_lines: int


@dataclass(frozen=True)
class Analysis:
    engine_version: str
    rules_fingerprint: str
    format: str
    sources: tuple[SourceFile, ...]
    days: tuple[DayUse, ...]
    lines: int
    unparsed_lines: int
    unparsed_examples: tuple[UnparsedLine, ...]
    unmapped_lines: int
    unmapped_identities: tuple[tuple[str, int], ...]
    unmapped_platform_lines: int
    unmapped_platform_hosts: tuple[tuple[str, int], ...]
    work_use_requests: int

    def rows(self) -> list[dict[str, Any]]:
        """One plain dict per person and working day, sorted by person then date."""
        return [d.as_dict() for d in self.days]

    def json_lines(self) -> str:
        """`rows()` as compact JSON, one line each: the text `json.dumps(row,
        separators=(",", ":"))` gives, built from each name encoded once (a large file
        has tens of thousands of rows, and encoding each dict whole took a third of a
        second)."""
        names: dict[str, str] = {}

        def name(text: str) -> str:
            found = names.get(text)
            if found is None:
                found = names[text] = json.dumps(text)
            return found

        keys: dict[str, str] = {}  # a platform's name as a JSON key, with its colon
        for d in self.days:
            for p, _ in d.platforms:
                if p not in keys:
                    keys[p] = name(p) + ":"
        return "".join(
            [
                f'{{"person":{name(d.person)},"date":"{d.date.isoformat()}",'
                f'"requests":{d.requests},"social_requests":{d.social_requests},'
                f'"social_minutes":{d.social_minutes},'
                f'"blocked_social_requests":{d.blocked_social_requests},"platforms":{{'
                + ",".join([keys[p] + str(n) for p, n in d.platforms])
                + "}}\n"
                for d in self.days
            ]
        )

    def problems(self) -> dict[str, Any]:
        """What could not be counted, for the end-of-run summary."""
        return {
            "lines": self.lines,
            "unparsed_lines": self.unparsed_lines,
            "unparsed_examples": [
                {"source": u.source, "line": u.line, "text": u.text} for u in self.unparsed_examples
            ],
            "unmapped_lines": self.unmapped_lines,
            "unmapped_identities": dict(self.unmapped_identities),
            "unmapped_platform_lines": self.unmapped_platform_lines,
            "unmapped_platform_hosts": dict(self.unmapped_platform_hosts),
            "work_use_requests": self.work_use_requests,
        }
