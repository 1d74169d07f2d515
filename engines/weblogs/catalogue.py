"""The platform catalogue (clause 3.1): which hosts belong to which social media platform."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from engines.weblogs.errors import WeblogsError


@dataclass(frozen=True)
class Platform:
    name: str
    domains: tuple[str, ...]
    clause_3_1: bool = False


@dataclass(frozen=True)
class Catalogue:
    """Platforms matched by domain suffix on a label boundary.

    A host matches a domain when it equals it or ends with "." + domain, so
    `evilfacebook.com` is not Facebook while `m.facebook.com` is.
    """

    version: str
    platforms: tuple[Platform, ...]
    social_words: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        suffixes: dict[str, int] = {}
        for index, platform in enumerate(self.platforms):
            for domain in platform.domains:
                suffixes[domain.lower().strip(".")] = index
        object.__setattr__(self, "_suffixes", suffixes)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.platforms)

    def platform_index(self, host: str) -> int:
        """Index of the platform the host belongs to, or -1."""
        suffixes: dict[str, int] = self._suffixes  # type: ignore[attr-defined]
        labels = host.lower().rstrip(".")
        while True:
            found = suffixes.get(labels)
            if found is not None:
                return found
            dot = labels.find(".")
            if dot < 0:
                return -1
            labels = labels[dot + 1 :]

    def platform_for(self, host: str) -> str | None:
        index = self.platform_index(host)
        return None if index < 0 else self.platforms[index].name

    def looks_social(self, host: str) -> bool:
        """True for a host outside the catalogue whose name contains a social-media word."""
        lowered = host.lower()
        return any(word in lowered for word in self.social_words)

    def fingerprint_source(self) -> str:
        parts = [self.version] + [f"{p.name}={','.join(sorted(p.domains))}" for p in self.platforms]
        return "\n".join(parts)


def catalogue_from_toml(text: str, *, origin: str = "catalogue") -> Catalogue:
    try:
        data = tomllib.loads(text)
        platforms = tuple(
            Platform(
                name=str(p["name"]),
                domains=tuple(str(d) for d in p["domains"]),
                clause_3_1=bool(p.get("clause_3_1", False)),
            )
            for p in data["platform"]
        )
        return Catalogue(
            version=str(data.get("version", "")),
            platforms=platforms,
            social_words=tuple(str(w) for w in data.get("social_words", ())),
        )
    except (tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
        raise WeblogsError(f"{origin}: not a valid platform catalogue ({exc})") from exc


def load_catalogue(path: Path | None = None) -> Catalogue:
    """The packaged catalogue, or one from a TOML file in the same shape."""
    if path is None:
        text = resources.files("engines.weblogs").joinpath("data/platforms.toml").read_text()
        return catalogue_from_toml(text, origin="packaged platforms.toml")
    try:
        return catalogue_from_toml(path.read_text(encoding="utf-8"), origin=str(path))
    except OSError as exc:
        raise WeblogsError(f"{path}: cannot read catalogue ({exc.strerror})") from exc
