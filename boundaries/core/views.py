"""The signed-in home and an organisation's front page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from boundaries.core.access import can, organisation_for, organisations_of, roles_in
from boundaries.core.models import Organisation, StaffRecord
from boundaries.core.navigation import links
from boundaries.core.roles import Role


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"organisations": organisations_of(request.user)})


def _role_labels(roles: set[str]) -> list[str]:
    return [Role(r).label for r in sorted(roles)]


@login_required
def organisation_home(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "organisation.view")
    own, above = roles_in(request.user, organisation)
    context = {
        "organisation": organisation,
        "roles": _role_labels(own | above),
        "policies": organisation.policies.all(),
        "schools": Organisation.objects.filter(parent=organisation)
        if organisation.is_umbrella
        else [],
        "can_manage": can(request.user, "policy.manage", organisation),
        "can_view_staff": can(request.user, "staff.view", organisation),
        "can_view_adoption": can(request.user, "adoption.view", organisation),
        "can_adopt": can(request.user, "policy.adopt", organisation) and organisation.parent_id,
        "feature_links": _feature_links(request, organisation),
    }
    return render(request, "core/organisation.html", context)


def _feature_links(
    request: HttpRequest, organisation: Organisation
) -> list[tuple[str, list[tuple[str, str]]]]:
    sections: dict[str, list[tuple[str, str]]] = {}
    for link in links():
        if organisation.kind in link.kinds and can(request.user, link.action, organisation):
            sections.setdefault(link.section, []).append((link.label, link.url(organisation)))
    return list(sections.items())


@login_required
def staff_list(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "staff.view")
    today = timezone.localdate()
    staff = StaffRecord.objects.filter(organisation=organisation).select_related("line_manager")
    rows = [(s, s.is_current(today)) for s in staff]
    return render(request, "core/staff_list.html", {"organisation": organisation, "rows": rows})
