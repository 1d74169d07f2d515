"""Clause 4.2 pages: vacancies and the panel's attestation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from boundaries.core import audit
from boundaries.core.access import acting_user, can, organisation_for
from boundaries.core.exports import csv_response
from boundaries.declarations import recruitment_actions as actions
from boundaries.declarations.access import vacancy_for
from boundaries.declarations.errors import DeclarationError
from boundaries.declarations.forms import AttestationForm, VacancyForm
from boundaries.declarations.models import RecruitmentAttestation, Vacancy


def _attestation(vacancy: Vacancy) -> RecruitmentAttestation | None:
    return RecruitmentAttestation.objects.filter(vacancy=vacancy).first()


@login_required
def vacancies(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "recruitment.view")
    rows = [
        (v, _attestation(v))
        for v in Vacancy.objects.filter(organisation=organisation).prefetch_related("candidates")
    ]
    return render(
        request,
        "declarations/vacancies.html",
        {
            "organisation": organisation,
            "rows": rows,
            "can_manage": can(request.user, "recruitment.manage", organisation),
            "conflict": actions.vetting_conflict(organisation),
        },
    )


@login_required
def vacancy_new(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "recruitment.manage")
    form = VacancyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            vacancy = actions.create_vacancy(
                organisation,
                actor=acting_user(request),
                title=data["title"],
                reference=data["reference"],
                closing_date=data["closing_date"],
                shortlist=data["shortlist"].splitlines(),
            )
        except DeclarationError as error:
            form.add_error("shortlist", str(error))
        else:
            return redirect("declarations:vacancy", org, vacancy.pk)
    return render(
        request, "declarations/vacancy_new.html", {"organisation": organisation, "form": form}
    )


@login_required
def vacancy(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = organisation_for(request.user, org, "recruitment.view")
    found = vacancy_for(request.user, organisation, pk, "recruitment.view")
    attestation = _attestation(found)
    return render(
        request,
        "declarations/vacancy.html",
        {
            "organisation": organisation,
            "vacancy": found,
            "attestation": attestation,
            "searched": list(attestation.candidates_searched.all()) if attestation else [],
            "can_manage": can(request.user, "recruitment.manage", organisation),
        },
    )


@login_required
def attest(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = organisation_for(request.user, org, "recruitment.manage")
    found = vacancy_for(request.user, organisation, pk, "recruitment.manage")
    shortlist = list(found.candidates.all())
    form = AttestationForm(
        request.POST or None, candidates=[(str(c.pk), c.reference) for c in shortlist]
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = [c for c in shortlist if str(c.pk) in set(data["candidates"])]
        try:
            actions.attest(
                found,
                actor=acting_user(request),
                kind=data["kind"],
                panel=data["panel"],
                searched=data["searched"],
                public_only=data["public_only"],
                candidates=chosen,
            )
        except DeclarationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The panel's attestation is recorded.")
            return redirect("declarations:vacancy", org, pk)
    return render(
        request,
        "declarations/attest.html",
        {
            "organisation": organisation,
            "vacancy": found,
            "form": form,
            "conflict": actions.vetting_conflict(organisation),
        },
    )


@login_required
def recruitment_export(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "recruitment.view")
    rows = []
    for v in Vacancy.objects.filter(organisation=organisation).prefetch_related("candidates"):
        attestation = _attestation(v)
        rows.append(
            (
                v.title,
                v.reference,
                v.closing_date or "",
                v.candidates.count(),
                attestation.get_kind_display() if attestation else "not yet recorded",
                attestation.candidates_searched.count() if attestation else "",
                attestation.attested_at.date() if attestation else "",
            )
        )
    with transaction.atomic():
        audit.record(
            "recruitment.exported",
            actor=acting_user(request),
            organisation=organisation,
            after={"rows": len(rows)},
        )
    return csv_response(
        f"recruitment-{organisation.slug}-{timezone.localdate()}.csv",
        ["vacancy", "reference", "closing", "shortlisted", "attestation", "searched", "recorded"],
        rows,
    )
