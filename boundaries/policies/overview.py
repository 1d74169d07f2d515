"""The authority's view of its schools: which model version each adopted, and reviews."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from boundaries.core.models import Organisation
from boundaries.core.roles import OrganisationKind
from boundaries.policies.models import PolicyKind, PolicyVersion, VersionStatus


@dataclass(frozen=True)
class AdoptionRow:
    school: Organisation
    version: PolicyVersion | None
    model: PolicyVersion | None
    review_due: dt.date | None
    overdue: bool

    @property
    def latest_model(self) -> bool | None:
        if self.model is None:
            return None
        return self.model.status == VersionStatus.IN_FORCE


def adoption_rows(authority: Organisation, today: dt.date) -> list[AdoptionRow]:
    schools = list(
        Organisation.objects.filter(parent=authority).exclude(kind=OrganisationKind.AUTHORITY)
    )
    in_force = {
        v.policy.organisation_id: v
        for v in PolicyVersion.objects.filter(
            policy__organisation__in=schools,
            policy__kind=PolicyKind.SOCIAL_MEDIA,
            policy__is_model=False,
            status=VersionStatus.IN_FORCE,
        ).select_related("policy", "adopted_from__policy")
    }
    rows = []
    for school in schools:
        version = in_force.get(school.pk)
        due = version.review_due() if version else None
        rows.append(
            AdoptionRow(
                school=school,
                version=version,
                model=version.adopted_from if version else None,
                review_due=due,
                overdue=bool(version and version.review_overdue(today)),
            )
        )
    return rows
