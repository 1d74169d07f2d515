"""Pupil-contact pages: the one-step report from a phone, the DSL's follow-up."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from boundaries.concerns import contact_actions as actions
from boundaries.concerns.access import contact_for, contacts_visible, own_contacts
from boundaries.concerns.errors import ConcernError
from boundaries.concerns.exports import record_export
from boundaries.concerns.forms import CloseForm, ContactReportForm, StepForm
from boundaries.concerns.models import ContactStatus, StepKind
from boundaries.core.access import acting_user, can, organisation_for
from boundaries.core.exports import csv_response
from boundaries.core.models import Organisation
from boundaries.roster.models import Pupil
from boundaries.security.decorators import require_recent_auth
from boundaries.security.malware import Uploader


def _pupils(organisation: Organisation) -> list[tuple[str, str]]:
    today = timezone.localdate()
    return [
        (str(p.pk), f"{p.full_name}{f' ({p.year_group})' if p.year_group else ''}")
        for p in Pupil.objects.filter(organisation=organisation)
        if not p.is_former(today)
    ]


@login_required
def contact_new(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "pupil_contact.create")
    form = ContactReportForm(
        request.POST or None,
        request.FILES or None,
        pupils=_pupils(organisation),
        uploader=Uploader.of(request, organisation, "pupil_contacts.report"),
        initial={"contacted_at": timezone.localtime().replace(second=0, microsecond=0)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        pupil = (
            Pupil.objects.filter(organisation=organisation, pk=int(data["pupil"])).first()
            if data["pupil"]
            else None
        )
        try:
            report = actions.report_pupil_contact(
                organisation,
                actor=acting_user(request),
                platform=data["platform"],
                contacted_at=data["contacted_at"],
                what_was_said=data["what_was_said"],
                did_not_respond=data["did_not_respond"],
                pupil=pupil,
                pupil_description=data["pupil_description"],
                screenshots=data["screenshots"],
            )
        except ConcernError as error:
            form.add_error(None, str(error))
        else:
            return redirect("concerns:contact_sent", org, report.pk)
    return render(
        request, "concerns/contact_new.html", {"organisation": organisation, "form": form}
    )


@login_required
def contact_sent(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = organisation_for(request.user, org, "pupil_contact.create")
    report = contact_for(request.user, organisation, pk)
    if report.reporter_id != acting_user(request).pk:
        raise Http404("No such report")
    return render(
        request, "concerns/contact_sent.html", {"organisation": organisation, "report": report}
    )


@login_required
def contacts(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "pupil_contact.list")
    return render(
        request,
        "concerns/contacts.html",
        {
            "organisation": organisation,
            "rows": list(contacts_visible(request.user, organisation)),
            "can_export": can(request.user, "pupil_contact.export", organisation),
        },
    )


@login_required
def contacts_mine(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "pupil_contact.create")
    return render(
        request,
        "concerns/contacts_mine.html",
        {"organisation": organisation, "rows": list(own_contacts(request.user, organisation))},
    )


@login_required
def contact(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = organisation_for(request.user, org, "organisation.view")
    report = contact_for(request.user, organisation, pk)
    user = acting_user(request)
    if report.reporter_id != user.pk:
        actions.record_read(report, actor=user)
    manage = can(user, "pupil_contact.manage", organisation)
    done = report.steps_done()
    return render(
        request,
        "concerns/contact.html",
        {
            "organisation": organisation,
            "report": report,
            "steps": [(StepKind(k), done.get(k)) for k in StepKind.values],
            "missing": report.missing_steps(),
            "manage": manage,
            "step_form": StepForm(),
            "close_form": CloseForm(),
            "attachments": list(report.attachments.all()),
        },
    )


@login_required
@require_POST
def contact_step(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = organisation_for(request.user, org, "pupil_contact.manage")
    report = contact_for(request.user, organisation, pk, manage=True)
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the step you are recording")
    else:
        try:
            actions.record_step(
                report,
                actor=acting_user(request),
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, "Step recorded.")
        except ConcernError as error:
            messages.error(request, str(error))
    return redirect("concerns:contact", org, pk)


@login_required
@require_POST
def contact_close(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = organisation_for(request.user, org, "pupil_contact.manage")
    report = contact_for(request.user, organisation, pk, manage=True)
    form = CloseForm(request.POST)
    form.is_valid()
    to = ContactStatus.OPEN if report.status == ContactStatus.CLOSED else ContactStatus.CLOSED
    try:
        actions.transition(
            report, to, actor=acting_user(request), note=form.cleaned_data.get("note", "")
        )
        messages.success(request, "Report closed." if to == "closed" else "Report reopened.")
    except ConcernError as error:
        messages.error(request, str(error))
    return redirect("concerns:contact", org, pk)


@login_required
@require_recent_auth
def contacts_export(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "pupil_contact.export")
    rows = [
        (
            r.pk,
            r.created_at.date(),
            r.reporter_staff.full_name if r.reporter_staff else r.reporter,
            r.pupil_label,
            r.platform,
            timezone.localtime(r.contacted_at).strftime("%Y-%m-%d %H:%M"),
            ", ".join(StepKind(s.kind).label for s in r.steps.all()),
            r.get_status_display(),
        )
        for r in contacts_visible(request.user, organisation).prefetch_related("steps")
    ]
    record_export(organisation, "pupil_contacts", len(rows), actor=acting_user(request))
    return csv_response(
        f"pupil-contacts-{organisation.slug}-{timezone.localdate()}.csv",
        ["id", "reported", "reporter", "pupil", "platform", "contacted at", "steps", "status"],
        rows,
    )
