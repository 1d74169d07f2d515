"""The school's own clause text and anchors, so every finding links to the policy in force."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from boundaries.core.models import Organisation
from boundaries.policies.models import Clause, PolicyKind, PolicyVersion, VersionStatus


@dataclass(frozen=True)
class ClauseRef:
    number: str
    url: str
    heading: str
    text: str
    footnotes: tuple[str, ...]


def policy_in_force(organisation: Organisation) -> PolicyVersion | None:
    """The social media policy in force; else any version in force that has a clause 4.1."""
    versions = PolicyVersion.objects.filter(
        policy__organisation=organisation, status=VersionStatus.IN_FORCE
    ).select_related("policy")
    preferred = versions.filter(policy__kind=PolicyKind.SOCIAL_MEDIA).first()
    return preferred or versions.filter(clauses__number="4.1").first()


def clause_refs(organisation: Organisation, numbers: set[str]) -> dict[str, ClauseRef]:
    """Clause number -> link and text, for the numbers that exist in the policy in force."""
    version = policy_in_force(organisation)
    if version is None or not numbers:
        return {}
    base = reverse("policies:version", args=[organisation.slug, version.pk])
    clauses = Clause.objects.filter(version=version, number__in=numbers).prefetch_related("notes")
    return {
        c.number: ClauseRef(
            number=c.number,
            url=f"{base}#{c.anchor}",
            heading=c.heading,
            text=c.text,
            footnotes=tuple(n.text for n in c.notes.all() if n.kind == "footnote"),
        )
        for c in clauses
    }
