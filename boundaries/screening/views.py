"""Pages: "Can I post this?", the connection-request question, and the school's aliases.

Views parse, authorise and render. The draft is never saved, audited or logged.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache

from boundaries.core.access import acting_user, can, organisation_for
from boundaries.core.models import Organisation
from boundaries.screening import actions
from boundaries.screening.checking import check_for_school, local_now
from boundaries.screening.clauses import clause_refs
from boundaries.screening.connections import advice_for
from boundaries.screening.forms import AliasesForm, CheckForm, ConnectionForm
from boundaries.screening.models import ScreeningSettings


def feature_url(
    request: HttpRequest, organisation: Organisation, name: str, action: str
) -> str | None:
    """A link into another feature, when it is installed and the person may use it."""
    if not can(request.user, action, organisation):
        return None
    try:
        return reverse(name, args=[organisation.slug])
    except NoReverseMatch:
        return None


@never_cache
@login_required
def check_page(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "screening.use")
    result, contact_url = None, None
    if request.method == "POST":
        form = CheckForm(request.POST)
        if form.is_valid():
            result = check_for_school(
                organisation,
                form.cleaned_data["text"],
                audience=form.cleaned_data["audience"],
                at=form.when(),
            )
            if form.cleaned_data["audience"] == "pupil":
                contact_url = feature_url(
                    request, organisation, "concerns:contact_new", "pupil_contact.create"
                )
    else:
        form = CheckForm()
    response = render(
        request,
        "screening/check.html",
        {
            "organisation": organisation,
            "form": form,
            "result": result,
            "contact_url": contact_url,
            "now": local_now(organisation),
            "can_manage": can(request.user, "screening.manage", organisation),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def connection_question(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "screening.use")
    form = ConnectionForm(request.GET or None)
    if form.is_bound and form.is_valid():
        advice = advice_for(
            form.cleaned_data["who"],
            form.cleaned_data["relationship"],
            form.cleaned_data.get("age") or "",
        )
        refs = clause_refs(organisation, set(advice.clauses))
        return render(
            request,
            "screening/connection_answer.html",
            {
                "organisation": organisation,
                "advice": advice,
                "clauses": [(n, refs.get(n)) for n in advice.clauses],
                "declaration_url": feature_url(
                    request, organisation, "declarations:new", "declaration.create"
                )
                if advice.declare
                else None,
                "contact_url": feature_url(
                    request, organisation, "concerns:contact_new", "pupil_contact.create"
                )
                if form.cleaned_data["who"] == "pupil"
                else None,
            },
        )
    return render(
        request, "screening/connection.html", {"organisation": organisation, "form": form}
    )


@login_required
def aliases(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "screening.manage")
    current = ScreeningSettings.objects.filter(organisation=organisation).first()
    if request.method == "POST":
        form = AliasesForm(request.POST)
        if form.is_valid():
            actions.save_aliases(organisation, form.lines(), actor=acting_user(request))
            messages.success(request, "The school's other names are saved")
            return redirect("screening:check", organisation.slug)
    else:
        form = AliasesForm(initial={"aliases": "\n".join(current.aliases) if current else ""})
    return render(request, "screening/aliases.html", {"organisation": organisation, "form": form})
