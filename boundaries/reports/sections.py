"""The governors' report's own sections: policies in force, statutory conflicts, and the
reading, induction and privacy-check rates."""

from __future__ import annotations

import datetime as dt

from boundaries.acknowledgements.stats import rate_of
from boundaries.core.models import Organisation
from boundaries.policies.models import PolicyVersion, StatutoryConflict, VersionStatus
from boundaries.reports.governors import Line, register_section


@register_section("Policies in force", order=10)
def policies_in_force(organisation: Organisation, today: dt.date) -> list[Line]:
    lines = []
    for version in PolicyVersion.objects.filter(
        policy__organisation=organisation, policy__is_model=False, status=VersionStatus.IN_FORCE
    ).select_related("policy"):
        due = version.review_due()
        overdue = " (overdue)" if version.review_overdue(today) else ""
        lines.append(
            Line(
                f"{version.title}, version {version.number}",
                text=f"review due {due:%-d %B %Y}{overdue}" if due else "no review date",
            )
        )
    return lines or [Line("Policies in force", text="none")]


@register_section("Statutory conflicts and the governing body's decisions", order=20)
def conflicts(organisation: Organisation, today: dt.date) -> list[Line]:
    lines = []
    for conflict in StatutoryConflict.objects.filter(
        clause__version__policy__organisation=organisation,
        clause__version__status=VersionStatus.IN_FORCE,
    ).select_related("clause"):
        decided = (
            f"decided {conflict.decided_on:%-d %B %Y}: {conflict.decision}"
            if conflict.is_decided and conflict.decided_on
            else "no decision recorded"
        )
        lines.append(Line(f"Clause {conflict.clause.number} and {conflict.guidance}", text=decided))
    return lines or [Line("Conflicts recorded", text="none")]


@register_section("Staff reading the policies", order=30)
def reading(organisation: Organisation, today: dt.date) -> list[Line]:
    rate = rate_of(organisation, today)
    return [
        Line("Staff in scope", count=rate.in_scope),
        Line("Have read the versions in force", count=rate.acknowledged, percent=rate.percent),
        Line("Overdue", count=rate.overdue),
        Line("New starters not yet inducted", count=rate.not_inducted),
        Line(
            "Privacy-settings check done this school year",
            count=rate.privacy_done,
            percent=rate.privacy_percent,
        ),
    ]
