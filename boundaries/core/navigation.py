"""Links each feature adds to an organisation's front page, shown to those allowed.

A feature registers its links in its AppConfig.ready(); the page shows a link when
`can(user, action, organisation)` holds and the organisation is of one of `kinds`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from boundaries.core.models import Organisation


@dataclass(frozen=True)
class FeatureLink:
    section: str
    label: str
    url_name: str
    action: str
    kinds: frozenset[str] = frozenset({"school", "central_service", "authority", "trust"})

    def url(self, organisation: Organisation) -> str:
        return reverse(self.url_name, args=[organisation.slug])


_LINKS: list[FeatureLink] = []


def register_link(
    section: str, label: str, url_name: str, action: str, kinds: set[str] | None = None
) -> None:
    link = FeatureLink(
        section, label, url_name, action, frozenset(kinds) if kinds else FeatureLink.kinds
    )
    if link not in _LINKS:
        _LINKS.append(link)


def links() -> list[FeatureLink]:
    return list(_LINKS)
