"""Pages for staff (policies to read, reading, confirming, own record, privacy check) and
for the headteacher (settings, induction items, questions, new starters)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from boundaries.acknowledgements import actions
from boundaries.acknowledgements.access import (
    induction_for,
    own_assignment,
    own_staff_record,
    to_read_at,
)
from boundaries.acknowledgements.checklists import platforms
from boundaries.acknowledgements.forms import (
    ConfirmForm,
    InductionItemForm,
    PrivacyCheckForm,
    QuestionForm,
    SettingsForm,
)
from boundaries.acknowledgements.models import (
    Acknowledgement,
    Assignment,
    Induction,
    InductionItem,
    PrivacyCheck,
)
from boundaries.acknowledgements.scope import settings_for
from boundaries.core.access import acting_user, organisation_for
from boundaries.policies.diff import diff_versions
from boundaries.policies.models import Policy, VersionStatus


@login_required
def to_read(request: HttpRequest, org: str) -> HttpResponse:
    organisation, assignments = to_read_at(acting_user(request), org, "acknowledgements.read")
    return render(
        request,
        "acknowledgements/to_read.html",
        {"organisation": organisation, "assignments": assignments, "today": timezone.localdate()},
        using="jinja2",  # core/jinja.py says why
    )


def _previous(assignment: Assignment) -> object:
    if not assignment.material_change:
        return None
    return (
        assignment.version.policy.versions.filter(number__lt=assignment.version.number)
        .exclude(status=VersionStatus.DRAFT)
        .exclude(status=VersionStatus.RATIFIED)
        .order_by("-number")
        .first()
    )


@login_required
def read(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = organisation_for(request.user, org, "acknowledgements.read")
    assignment = own_assignment(acting_user(request), organisation, pk)
    previous = _previous(assignment)
    changes = (
        [d for d in diff_versions(previous, assignment.version) if d.changed]  # type: ignore[arg-type]
        if previous
        else []
    )
    return render(
        request,
        "acknowledgements/read.html",
        {
            "organisation": organisation,
            "assignment": assignment,
            "version": assignment.version,
            "clauses": assignment.version.clause_tree(),
            "previous": previous,
            "changes": changes,
        },
    )


@login_required
def confirm(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = organisation_for(request.user, org, "acknowledgements.read")
    user = acting_user(request)
    assignment = own_assignment(user, organisation, pk)
    if assignment.is_done:
        messages.info(request, "You have already confirmed this version.")
        return redirect("acknowledgements:to_read", org)
    questions = list(assignment.version.policy.questions.all())
    form = ConfirmForm(request.POST if request.method == "POST" else None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            actions.acknowledge(assignment, user=user, answers=form.answers())
        except actions.AcknowledgementError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Thank you. You confirmed {assignment.version.title}, "
                f"version {assignment.version.number}.",
            )
            return redirect("acknowledgements:to_read", org)
    return render(
        request,
        "acknowledgements/confirm.html",
        {
            "organisation": organisation,
            "assignment": assignment,
            "form": form,
            "pass_mark": settings_for(organisation).pass_mark,
        },
    )


@login_required
def my_record(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "acknowledgements.read")
    staff = own_staff_record(acting_user(request), organisation)
    return render(
        request,
        "acknowledgements/my_record.html",
        {
            "organisation": organisation,
            "staff": staff,
            "acknowledgements": Acknowledgement.objects.filter(staff=staff)
            .select_related("version__policy")
            .order_by("-acknowledged_at"),
            "open": Assignment.objects.filter(
                staff=staff, version__status=VersionStatus.IN_FORCE, completed_at__isnull=True
            ).select_related("version__policy"),
            "induction": Induction.objects.filter(staff=staff).first(),
            "privacy_checks": PrivacyCheck.objects.filter(staff=staff).order_by("-year"),
        },
    )


@login_required
def privacy_check(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "acknowledgements.read")
    user = acting_user(request)
    staff = own_staff_record(user, organisation)
    year = actions.academic_year(timezone.localdate())
    done = PrivacyCheck.objects.filter(staff=staff, year=year).first()
    form = PrivacyCheckForm(
        request.POST if request.method == "POST" else None,
        choices=[(p.code, p.name) for p in platforms()],
    )
    if request.method == "POST" and done is None and form.is_valid():
        actions.record_privacy_check(staff, form.cleaned_data["platforms"], user=user)
        messages.success(request, "Thank you: this year's privacy check is done.")
        return redirect("acknowledgements:my_record", org)
    return render(
        request,
        "acknowledgements/privacy_check.html",
        {
            "organisation": organisation,
            "form": form,
            "platforms": platforms(),
            "done": done,
            "year": year,
        },
    )


@login_required
def manage(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "acknowledgements.manage")
    user = acting_user(request)
    current = settings_for(organisation)
    form = SettingsForm(
        request.POST if request.POST.get("form") == "settings" else None,
        initial={
            "scope": current.scope,
            "due_days": current.due_days,
            "reminder_every_days": current.reminder_every_days,
            "pass_mark": current.pass_mark,
        },
    )
    item_form = InductionItemForm(request.POST if request.POST.get("form") == "item" else None)
    if request.method == "POST":
        if request.POST.get("form") == "settings" and form.is_valid():
            actions.save_settings(organisation, actor=user, **form.cleaned_data)
            messages.success(request, "Settings saved.")
            return redirect("acknowledgements:manage", org)
        if request.POST.get("form") == "item" and item_form.is_valid():
            actions.add_induction_item(organisation, item_form.cleaned_data["title"], actor=user)
            messages.success(request, "Induction item added.")
            return redirect("acknowledgements:manage", org)
        if request.POST.get("form") == "retire":
            item = InductionItem.objects.filter(
                organisation=organisation, pk=request.POST.get("item", "0") or 0
            ).first()
            if item is None:
                raise Http404("No such item")
            actions.retire_induction_item(item, actor=user)
            return redirect("acknowledgements:manage", org)
    return render(
        request,
        "acknowledgements/manage.html",
        {
            "organisation": organisation,
            "form": form,
            "item_form": item_form,
            "items": InductionItem.objects.filter(organisation=organisation, active=True),
            "policies": Policy.objects.filter(organisation=organisation, is_model=False),
        },
    )


@login_required
def questions(request: HttpRequest, org: str, policy_id: int) -> HttpResponse:
    organisation = organisation_for(request.user, org, "acknowledgements.manage")
    policy = Policy.objects.filter(organisation=organisation, pk=policy_id, is_model=False).first()
    if policy is None:
        raise Http404("No such policy")
    form = QuestionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        actions.add_question(
            policy,
            text=form.cleaned_data["text"],
            choices=form.cleaned_data["choice_list"],
            correct=form.cleaned_data["correct"] - 1,
            actor=acting_user(request),
        )
        messages.success(request, "Question added.")
        return redirect("acknowledgements:questions", org, policy.pk)
    return render(
        request,
        "acknowledgements/questions.html",
        {
            "organisation": organisation,
            "policy": policy,
            "form": form,
            "questions": policy.questions.all(),
        },
    )


@login_required
def inductions(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "acknowledgements.manage")
    items = list(InductionItem.objects.filter(organisation=organisation, active=True))
    if request.method == "POST":
        induction = induction_for(organisation, int(request.POST.get("induction", "0") or 0))
        item = next((i for i in items if str(i.pk) == request.POST.get("item")), None)
        if item is None:
            raise Http404("No such item")
        actions.tick_induction_item(induction, item, actor=acting_user(request))
        messages.success(request, f"{item.title}: done for {induction.staff.full_name}.")
        return redirect("acknowledgements:inductions", org)
    rows = []
    for induction in (
        Induction.objects.filter(staff__organisation=organisation, completed_on__isnull=True)
        .select_related("staff")
        .prefetch_related("ticks")
        .order_by("started_on")
    ):
        ticked = {t.item_id for t in induction.ticks.all()}
        open_policies = Assignment.objects.filter(
            staff=induction.staff,
            version__status=VersionStatus.IN_FORCE,
            completed_at__isnull=True,
        ).select_related("version")
        rows.append(
            {
                "induction": induction,
                "items": [(i, i.pk in ticked) for i in items],
                "open_policies": list(open_policies),
            }
        )
    return render(
        request,
        "acknowledgements/inductions.html",
        {"organisation": organisation, "rows": rows},
    )
