"""The privacy-settings checklist per platform, read from our data file."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

FILE = Path(__file__).parent / "data" / "privacy_checklists.toml"


@dataclass(frozen=True)
class Platform:
    code: str
    name: str
    checks: tuple[str, ...]


@cache
def platforms() -> tuple[Platform, ...]:
    data = tomllib.loads(FILE.read_text(encoding="utf-8"))
    return tuple(Platform(p["code"], p["name"], tuple(p["checks"])) for p in data["platform"])
