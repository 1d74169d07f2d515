"""Platforms, or (platform, person) pairs, that the school counts as work use.

For example the staff who run the school's official Facebook page: their Facebook
requests are not personal use and are left out of the social figures.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

from engines.weblogs.errors import WeblogsError


@dataclass(frozen=True)
class WorkUse:
    platforms: frozenset[str] = frozenset()
    pairs: frozenset[tuple[str, str]] = frozenset()

    @classmethod
    def from_csv(cls, path: Path) -> WorkUse:
        """CSV with a `platform` column and an optional `person` column (blank = everyone)."""
        try:
            with path.open(newline="", encoding="utf-8-sig") as fh:
                reader = csv.DictReader(fh)
                if "platform" not in (reader.fieldnames or ()):
                    raise WeblogsError(
                        f"{path}: the header needs 'platform' (and optional 'person')"
                    )
                rows = list(reader)
        except OSError as exc:
            raise WeblogsError(f"{path}: cannot read work-use file ({exc.strerror})") from exc
        platforms = {r["platform"].strip() for r in rows if not (r.get("person") or "").strip()}
        pairs = {
            (r["platform"].strip(), (r.get("person") or "").strip())
            for r in rows
            if (r.get("person") or "").strip()
        }
        return cls(frozenset(platforms), frozenset(pairs))

    def is_work(self, platform: str, person: str) -> bool:
        return platform in self.platforms or (platform, person) in self.pairs

    def fingerprint_source(self) -> str:
        return repr((sorted(self.platforms), sorted(self.pairs)))

    def digest(self) -> str:
        return hashlib.sha256(self.fingerprint_source().encode()).hexdigest()
