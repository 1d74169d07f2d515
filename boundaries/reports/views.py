"""Dashboards, CSV exports, the staff handbook and the governors' report.

Governors and the authority see counts and percentages; only roles allowed
`acknowledgements.view_names` (headteacher, HR) see who is overdue.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from boundaries.acknowledgements.models import Acknowledgement
from boundaries.acknowledgements.stats import Rate, grouped, people, rates, school_rate
from boundaries.core.access import can, organisation_and_head_for, organisation_for
from boundaries.core.exports import csv_response
from boundaries.core.figures_cache import until_written
from boundaries.core.models import Organisation
from boundaries.policies.models import PolicyVersion, VersionStatus
from boundaries.reports.charts import bar_chart
from boundaries.reports.governors import sections
from boundaries.reports.pdf import pdf_response

SORTS = {"name", "percent", "overdue", "in_scope"}


def _school_context(organisation: Organisation, today: dt.date, names: bool) -> dict[str, Any]:
    rows = people(organisation, today)
    rate = school_rate(organisation, rows, today)
    teams = grouped(rows, "team")
    roles = grouped(rows, "job_title")
    return {
        "organisation": organisation,
        "today": today,
        "rate": rate,
        "teams": teams,
        "roles": roles,
        "team_chart": bar_chart(
            "Percentage who have read the policies in force, by team",
            [(g.label, g.rate.percent) for g in teams],
        ),
        "show_names": names,
        "overdue": [p for p in rows if p.overdue] if names else [],
        "starters": _starters(organisation, today) if names else [],
        "versions": PolicyVersion.objects.filter(
            policy__organisation=organisation, policy__is_model=False, status=VersionStatus.IN_FORCE
        ),
    }


def _starters(organisation: Organisation, today: dt.date) -> list[Any]:
    from boundaries.acknowledgements.models import Induction

    return list(
        Induction.objects.filter(
            staff__organisation=organisation, completed_on__isnull=True
        ).select_related("staff")
    )


@login_required
def acknowledgements(request: HttpRequest, org: str) -> HttpResponse:
    """The school's reading figures. Rendered once per school, day and kind of viewer until
    the next write (core/figures_cache.py); who may see them is checked on every request."""
    organisation, head = organisation_and_head_for(request.user, org, "acknowledgements.view_rates")
    today = timezone.localdate()
    names = can(request.user, "acknowledgements.view_names", organisation)
    figures = until_written(
        ("reports.acknowledgements", organisation.pk, today, names),
        lambda: render_to_string(
            "reports/_acknowledgements_figures.html",
            _school_context(organisation, today, names),
        ),
        head=head,
    )
    return render(
        request,
        "reports/acknowledgements.html",
        {"organisation": organisation, "figures": figures},
        using="jinja2",  # core/jinja.py says why
    )


@login_required
def acknowledgements_csv(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "acknowledgements.view_rates")
    today = timezone.localdate()
    rows = people(organisation, today)
    if can(request.user, "acknowledgements.view_names", organisation):
        return csv_response(
            f"{organisation.slug}-acknowledgements-{today}.csv",
            [
                "name",
                "team",
                "job title",
                "assigned",
                "to read",
                "overdue",
                "earliest due",
                "last confirmed",
            ],
            [
                [
                    p.name,
                    p.team,
                    p.job_title,
                    p.assigned,
                    p.open,
                    p.overdue,
                    p.earliest_due,
                    p.last_acknowledged,
                ]
                for p in rows
            ],
        )
    return csv_response(
        f"{organisation.slug}-acknowledgements-{today}.csv",
        ["team", "in scope", "have read", "percent", "overdue"],
        [
            [g.label, g.rate.in_scope, g.rate.acknowledged, g.rate.percent, g.rate.overdue]
            for g in grouped(rows, "team")
        ],
    )


def _authority_rows(
    organisation: Organisation, today: dt.date, sort: str, descending: bool
) -> tuple[list[dict[str, Any]], Rate]:
    schools = Organisation.objects.filter(parent=organisation).exclude(
        kind__in=["authority", "trust"]
    )
    by_id = rates(schools, today)
    rows: list[dict[str, Any]] = []
    total = Rate()
    for school in schools.order_by("name").only("pk", "name", "slug"):
        rate = by_id.get(school.pk, Rate())
        total.add(rate)
        rows.append(
            {
                "name": school.name,
                "slug": school.slug,
                "in_scope": rate.in_scope,
                "acknowledged": rate.acknowledged,
                "percent": rate.percent,
                "percent_text": "no staff" if rate.percent is None else str(rate.percent),
                "overdue": rate.overdue,
                "not_inducted": rate.not_inducted,
                "privacy_percent": rate.privacy_percent,
            }
        )
    key = sort if sort in SORTS else "name"
    known = sorted(
        (r for r in rows if r[key] is not None), key=lambda r: r[key], reverse=descending
    )
    return known + [r for r in rows if r[key] is None], total


@login_required
def authority(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "reports.authority")
    sort = request.GET.get("sort", "name")
    descending = request.GET.get("dir") == "desc"
    rows, total = _authority_rows(organisation, timezone.localdate(), sort, descending)
    return render(
        request,
        "reports/authority.html",
        {
            "organisation": organisation,
            "rows": rows,
            "total": total,
            "sort": sort if sort in SORTS else "name",
            "descending": descending,
            "columns": [
                ("name", "School"),
                ("in_scope", "Staff in scope"),
                ("percent", "Have read (%)"),
                ("overdue", "Overdue"),
            ],
        },
    )


@login_required
def authority_csv(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "reports.authority")
    today = timezone.localdate()
    rows, total = _authority_rows(organisation, today, "name", False)
    return csv_response(
        f"{organisation.slug}-schools-{today}.csv",
        [
            "school",
            "staff in scope",
            "have read",
            "percent",
            "overdue",
            "starters not inducted",
            "privacy check percent",
        ],
        [
            *[
                [
                    r["name"],
                    r["in_scope"],
                    r["acknowledged"],
                    r["percent"],
                    r["overdue"],
                    r["not_inducted"],
                    r["privacy_percent"],
                ]
                for r in rows
            ],
            [
                "Total",
                total.in_scope,
                total.acknowledged,
                total.percent,
                total.overdue,
                total.not_inducted,
                total.privacy_percent,
            ],
        ],
    )


@login_required
def handbook(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "acknowledgements.view_names")
    today = timezone.localdate()
    versions = list(
        PolicyVersion.objects.filter(
            policy__organisation=organisation, policy__is_model=False, status=VersionStatus.IN_FORCE
        ).select_related("policy")
    )
    latest: dict[tuple[int, int], Acknowledgement] = {}
    for ack in (
        Acknowledgement.objects.filter(
            staff__organisation=organisation, version__policy__in=[v.policy for v in versions]
        )
        .select_related("version")
        .order_by("acknowledged_at")
    ):
        latest[(ack.staff_id, ack.version.policy_id)] = ack
    staff = people(organisation, today)
    sections_ = [
        {
            "version": v,
            "clauses": v.clause_tree(),
            "rows": [(p, latest.get((p.pk, v.policy_id))) for p in staff],
        }
        for v in versions
    ]
    return pdf_response(
        request,
        "reports/handbook.html",
        {"organisation": organisation, "today": today, "sections": sections_},
        f"{organisation.slug}-staff-handbook-{today}.pdf",
    )


def _governors_context(organisation: Organisation) -> dict[str, Any]:
    today = timezone.localdate()
    return {"organisation": organisation, "today": today, "sections": sections(organisation, today)}


@login_required
def governors(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "acknowledgements.view_rates")
    return render(request, "reports/governors.html", _governors_context(organisation))


@login_required
def governors_pdf(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "acknowledgements.view_rates")
    context = _governors_context(organisation)
    return pdf_response(
        request,
        "reports/governors_pdf.html",
        context,
        f"{organisation.slug}-governors-report-{context['today']}.pdf",
    )
