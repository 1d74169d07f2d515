"""Connection declaration pages: parse, authorise through access functions, call an action."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from boundaries.core.access import acting_user, can, organisation_for
from boundaries.core.exports import csv_response
from boundaries.core.models import Organisation
from boundaries.declarations import actions
from boundaries.declarations.access import (
    declaration_for,
    declarations_to_review,
    is_owner,
    is_reviewer,
    own_declarations,
)
from boundaries.declarations.errors import DeclarationError
from boundaries.declarations.forms import AdviceForm, DeclarationForm, ReviewForm
from boundaries.declarations.models import ConnectionDeclaration, CounterpartKind
from boundaries.declarations.reconfirmation import due_for_reconfirmation
from boundaries.roster.models import Carer, Pupil
from boundaries.security.decorators import require_recent_auth


def _people(organisation: Organisation) -> list[tuple[str, str]]:
    today = timezone.localdate()
    people = []
    for pupil in Pupil.objects.filter(organisation=organisation):
        status = "former pupil" if pupil.is_former(today) else f"pupil, {pupil.year_group}"
        people.append((f"pupil:{pupil.pk}", f"{pupil.full_name} ({status.strip(', ')})"))
    for carer in Carer.objects.filter(organisation=organisation):
        people.append((f"carer:{carer.pk}", f"{carer.full_name} (parent or carer)"))
    return people


def _chosen(organisation: Organisation, value: str) -> tuple[Pupil | None, Carer | None]:
    kind, _, pk = value.partition(":")
    if not pk.isdigit():
        return None, None
    if kind == "pupil":
        return Pupil.objects.filter(organisation=organisation, pk=int(pk)).first(), None
    if kind == "carer":
        return None, Carer.objects.filter(organisation=organisation, pk=int(pk)).first()
    return None, None


@login_required
def mine(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "declaration.create")
    today = timezone.localdate()
    rows = list(own_declarations(request.user, organisation))
    return render(
        request,
        "declarations/mine.html",
        {"organisation": organisation, "rows": rows, "today": today},
    )


@login_required
def new(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "declaration.create")
    form = DeclarationForm(request.POST or None, people=_people(organisation))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        pupil, carer = _chosen(organisation, data["person"])
        try:
            declaration = actions.declare_connection(
                organisation,
                actor=acting_user(request),
                counterpart_kind=data["counterpart_kind"],
                relationship=data["relationship"],
                relationship_detail=data["relationship_detail"],
                platforms=data["all_platforms"],
                pupil=pupil,
                carer=carer,
                counterpart_name=data["counterpart_name"],
                since=data["since"],
            )
        except DeclarationError as error:
            form.add_error(None, str(error))
        else:
            return redirect("declarations:detail", org, declaration.pk)
    return render(request, "declarations/new.html", {"organisation": organisation, "form": form})


@login_required
def detail(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = organisation_for(request.user, org, "organisation.view")
    declaration = declaration_for(request.user, organisation, pk)
    user = acting_user(request)
    owner = is_owner(user, declaration)
    if not owner:
        actions.record_read(declaration, actor=user)
    today = timezone.localdate()
    return render(
        request,
        "declarations/detail.html",
        {
            "organisation": organisation,
            "d": declaration,
            "owner": owner,
            "reviewer": is_reviewer(user, declaration),
            "age": declaration.former_pupil_age(today),
            "under_18": declaration.under_18(today),
            "today": today,
        },
    )


def _act(request: HttpRequest, org: str, pk: int, purpose: str, name: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "organisation.view")
    declaration = declaration_for(request.user, organisation, pk, purpose=purpose)
    user = acting_user(request)
    try:
        if name == "acknowledge":
            actions.acknowledge_advice(declaration, actor=user)
            messages.success(request, "Thank you. Your line manager or the DSL will review it.")
        elif name == "reconfirm":
            actions.reconfirm(declaration, actor=user)
            messages.success(request, "Your declaration is confirmed for another year.")
        else:
            actions.end_connection(declaration, actor=user)
            messages.success(request, "Recorded that the connection has ended.")
    except DeclarationError as error:
        messages.error(request, str(error))
    return redirect("declarations:detail", org, pk)


@login_required
@require_POST
def acknowledge(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    return _act(request, org, pk, "own", "acknowledge")


@login_required
@require_POST
def reconfirm(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    return _act(request, org, pk, "own", "reconfirm")


@login_required
@require_POST
def end(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    return _act(request, org, pk, "view", "end")


@login_required
def review(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = organisation_for(request.user, org, "organisation.view")
    declaration = declaration_for(request.user, organisation, pk, purpose="review")
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.review(
                declaration,
                actor=acting_user(request),
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
        except DeclarationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Review recorded.")
            return redirect("declarations:review_list", org)
    today = timezone.localdate()
    return render(
        request,
        "declarations/review.html",
        {
            "organisation": organisation,
            "d": declaration,
            "form": form,
            "under_18": declaration.under_18(today),
            "age": declaration.former_pupil_age(today),
        },
    )


@login_required
def review_list(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "declaration.review_list")
    today = timezone.localdate()
    rows = [(d, d.under_18(today)) for d in declarations_to_review(request.user, organisation)]
    return render(
        request,
        "declarations/review_list.html",
        {
            "organisation": organisation,
            "rows": rows,
            "today": today,
            "can_export": can(request.user, "declaration.export", organisation),
            "can_edit_advice": can(request.user, "declaration.advice", organisation),
        },
    )


@login_required
def due(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "declaration.review_list")
    today = timezone.localdate()
    visible = {d.pk for d in declarations_to_review(request.user, organisation)}
    rows = [d for d in due_for_reconfirmation(organisation, today) if d.pk in visible]
    return render(
        request,
        "declarations/due.html",
        {"organisation": organisation, "rows": rows, "today": today},
    )


@login_required
@require_recent_auth
def export(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "declaration.export")
    today = timezone.localdate()
    rows: list[ConnectionDeclaration] = list(declarations_to_review(request.user, organisation))
    with_actions = [
        (
            d.pk,
            d.staff.full_name,
            CounterpartKind(d.counterpart_kind).label,
            d.counterpart_label,
            d.get_relationship_display(),
            "; ".join(d.platforms),
            d.since or "",
            "yes" if d.under_18(today) else "",
            d.get_status_display(),
            d.get_outcome_display() if d.outcome else "",
            d.last_confirmed_on,
        )
        for d in rows
    ]
    actions.record_export(organisation, len(rows), actor=acting_user(request))
    return csv_response(
        f"declarations-{organisation.slug}-{today}.csv",
        [
            "id",
            "staff",
            "connection with",
            "name",
            "relationship",
            "platforms",
            "since",
            "under 18",
            "status",
            "outcome",
            "last confirmed",
        ],
        with_actions,
    )


@login_required
def advice(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "declaration.advice")
    form = AdviceForm(request.POST or None, initial={"text": actions.advice_for(organisation)})
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_advice(organisation, form.cleaned_data["text"], actor=acting_user(request))
        except DeclarationError as error:
            form.add_error("text", str(error))
        else:
            messages.success(request, "The advice is saved; new declarations will show it.")
            return redirect("declarations:review_list", org)
    return render(request, "declarations/advice.html", {"organisation": organisation, "form": form})
