"""Concern pages. Every read of a concern writes an audit event; the person who raised one
sees its status only; governors and the authority see counts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from boundaries.concerns import actions
from boundaries.concerns.access import (
    attachment_for,
    concern_for,
    concerns_about,
    concerns_raised_by,
    concerns_visible,
)
from boundaries.concerns.attachments import attach, path_of, record_download
from boundaries.concerns.counts import counts_for
from boundaries.concerns.errors import ConcernError
from boundaries.concerns.exports import record_export
from boundaries.concerns.forms import (
    AttachForm,
    ClausesForm,
    ConcernForm,
    NoteForm,
    TransitionForm,
)
from boundaries.concerns.models import ConcernSource
from boundaries.core.access import acting_user, can, organisation_for
from boundaries.core.exports import csv_response
from boundaries.core.models import Organisation, StaffRecord
from boundaries.core.refusals import refused_step
from boundaries.policies.models import Clause
from boundaries.security.decorators import require_recent_auth
from boundaries.security.malware import Uploader


def _clause_choices(organisation: Organisation) -> list[tuple[str, str]]:
    return [
        (str(c.pk), f"{c.number} {c.heading or c.text[:80]}".strip())
        for c in actions.clauses_in_force(organisation)
        if c.depth > 0 or not c.children.exists()
    ]


@login_required
def concern_list(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "concern.view")
    today = timezone.localdate()
    rows = list(concerns_visible(request.user, organisation))
    return render(
        request,
        "concerns/list.html",
        {
            "organisation": organisation,
            "rows": [(c, c.lado_overdue(today)) for c in rows],
            "can_export": can(request.user, "concern.export", organisation),
        },
    )


@login_required
def raise_concern(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "concern.raise")
    complaint = request.GET.get("complaint") == "1" or request.POST.get("complaint") == "1"
    if complaint:
        organisation = organisation_for(request.user, org, "concern.log_complaint")
    user = acting_user(request)
    today = timezone.localdate()
    staff = [
        (str(s.pk), f"{s.full_name}{f', {s.job_title}' if s.job_title else ''}")
        for s in StaffRecord.objects.filter(organisation=organisation)
        if s.is_current(today) and s.user_id != user.pk
    ]
    form = ConcernForm(
        request.POST or None,
        staff=staff,
        clauses=_clause_choices(organisation),
        complaint=complaint,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        subject = StaffRecord.objects.get(organisation=organisation, pk=int(data["subject"]))
        clauses = list(Clause.objects.filter(pk__in=[int(c) for c in data["clauses"]]))
        try:
            actions.raise_concern(
                organisation,
                actor=user,
                subject=subject,
                summary=data["summary"],
                detail=data["detail"],
                source=ConcernSource.PARENT_COMPLAINT if complaint else ConcernSource.STAFF,
                complainant=data.get("complainant", ""),
                occurred_on=data["occurred_on"],
                clauses=clauses,
            )
        except ConcernError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                "Thank you. The designated safeguarding lead has your concern. You will see "
                "its status here, but not what happens in it.",
            )
            return redirect("concerns:raised", org)
    return render(
        request,
        "concerns/raise.html",
        {"organisation": organisation, "form": form, "complaint": complaint},
    )


@login_required
def raised(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "concern.raise")
    return render(
        request,
        "concerns/raised.html",
        {
            "organisation": organisation,
            "rows": list(concerns_raised_by(request.user, organisation)),
            "about_me": concerns_about(request.user, organisation),
            "can_log_complaint": can(request.user, "concern.log_complaint", organisation),
        },
    )


@login_required
def detail(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = organisation_for(request.user, org, "concern.view")
    concern = concern_for(request.user, organisation, pk)
    user = acting_user(request)
    actions.record_read(concern, actor=user)
    today = timezone.localdate()
    manage = can(user, "concern.manage", organisation)
    moves = [
        m
        for m in concern.allowed_moves()
        if can(
            user,
            "concern.triage" if m in {"low_level", "allegation"} else "concern.manage",
            organisation,
        )
    ]
    return render(
        request,
        "concerns/detail.html",
        {
            "organisation": organisation,
            "concern": concern,
            "events": list(concern.events.select_related("actor")),
            "clauses": list(concern.clauses.all()),
            "attachments": list(concern.attachments.all()),
            "lado_overdue": concern.lado_overdue(today),
            "manage": manage,
            "transition_form": TransitionForm(moves=moves) if moves else None,
            "note_form": NoteForm(),
            "attach_form": AttachForm(),
            "clauses_form": ClausesForm(
                clauses=_clause_choices(organisation),
                initial={"clauses": [str(c.pk) for c in concern.clauses.all()]},
            ),
        },
    )


@login_required
@require_POST
def transition(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = organisation_for(request.user, org, "concern.manage")
    concern = concern_for(request.user, organisation, pk, "concern.manage")
    form = TransitionForm(request.POST, moves=concern.allowed_moves())
    if not form.is_valid():
        if "to" in form.errors and request.POST.get("to"):  # a move the page did not offer
            refused_step(concern, request.POST["to"][:40], actor=request.user, reason="move")
        messages.error(request, "Choose where the concern moves to")
        return redirect("concerns:detail", org, pk)
    data = form.cleaned_data
    try:
        actions.transition(
            concern,
            data["to"],
            actor=acting_user(request),
            note=data["note"],
            outcome=data["outcome"],
            lado_reference=data["lado_reference"],
        )
        messages.success(request, "The concern has moved on.")
    except ConcernError as error:
        messages.error(request, str(error))
    return redirect("concerns:detail", org, pk)


@login_required
@require_POST
def note(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = organisation_for(request.user, org, "concern.manage")
    concern = concern_for(request.user, organisation, pk, "concern.manage")
    form = NoteForm(request.POST)
    if form.is_valid():
        actions.add_note(concern, form.cleaned_data["text"], actor=acting_user(request))
        messages.success(request, "Note added to the chronology.")
    else:
        messages.error(request, "Write the note")
    return redirect("concerns:detail", org, pk)


@login_required
@require_POST
def link_clauses(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = organisation_for(request.user, org, "concern.manage")
    concern = concern_for(request.user, organisation, pk, "concern.manage")
    form = ClausesForm(request.POST, clauses=_clause_choices(organisation))
    if form.is_valid():
        ids = [int(c) for c in form.cleaned_data["clauses"]]
        actions.link_clauses(
            concern, list(Clause.objects.filter(pk__in=ids)), actor=acting_user(request)
        )
        messages.success(request, "Linked clauses saved.")
    else:
        messages.error(request, "Choose clauses from the policy in force")
    return redirect("concerns:detail", org, pk)


@login_required
def attach_file(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = organisation_for(request.user, org, "concern.manage")
    concern = concern_for(request.user, organisation, pk, "concern.manage")
    form = AttachForm(
        request.POST or None,
        request.FILES or None,
        uploader=Uploader.of(request, organisation, "concerns.attach"),
    )
    if request.method == "POST" and form.is_valid():
        attach(form.cleaned_data["file"], actor=acting_user(request), concern=concern)
        messages.success(request, "File attached.")
        return redirect("concerns:detail", org, pk)
    return render(
        request,
        "concerns/attach.html",
        {"organisation": organisation, "concern": concern, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def download(request: HttpRequest, org: str, pk: int) -> FileResponse:
    """The only way an attachment leaves the server: authorised, audited, never cached."""
    organisation = organisation_for(request.user, org, "organisation.view")
    attachment = attachment_for(request.user, organisation, pk)
    record_download(attachment, actor=acting_user(request))
    response = FileResponse(
        open(path_of(attachment), "rb"),  # noqa: SIM115 - FileResponse closes it
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_recent_auth
def export(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "concern.export")
    rows = [
        (
            c.pk,
            c.created_at.date(),
            c.subject.full_name,
            c.get_source_display(),
            c.summary,
            ", ".join(sorted(x.number for x in c.clauses.all())),
            c.get_status_display(),
            c.lado_due or "",
            c.lado_referred_on or "",
            c.get_outcome_display() if c.outcome else "",
        )
        for c in concerns_visible(request.user, organisation).prefetch_related("clauses")
    ]
    record_export(organisation, "concerns", len(rows), actor=acting_user(request))
    return csv_response(
        f"concerns-{organisation.slug}-{timezone.localdate()}.csv",
        [
            "id",
            "received",
            "about",
            "source",
            "summary",
            "clauses",
            "status",
            "LADO due",
            "referred",
            "outcome",
        ],
        rows,
    )


@login_required
def counts(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "concern.counts")
    if organisation.is_umbrella:
        schools = [
            s
            for s in Organisation.objects.filter(parent=organisation)
            if can(request.user, "concern.counts", s)
        ]
        table = counts_for(schools)
        per_school = [(s, counts_for([s]).total) for s in schools]
    else:
        table = counts_for([organisation])
        per_school = []
    return render(
        request,
        "concerns/counts.html",
        {"organisation": organisation, "table": table, "per_school": per_school},
    )
