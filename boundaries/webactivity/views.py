"""Web-activity pages: the school report, named drill-down, own figures, upload, settings.

Views parse, authorise through access functions, call actions and render.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import TemporaryUploadedFile, UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from boundaries.core.access import acting_user, can, organisation_for
from boundaries.core.models import Organisation, StaffRecord
from boundaries.reports.pdf import pdf_response
from boundaries.security.malware import Uploader
from boundaries.webactivity import actions, report
from boundaries.webactivity.access import (
    challenge_for,
    own_figure_for,
    own_staff_records,
    staff_for_drilldown,
    work_use_mark_for,
)
from boundaries.webactivity.documents import notice_context, render_markdown
from boundaries.webactivity.forms import (
    AnswerForm,
    ChallengeForm,
    IdentitiesForm,
    ReasonForm,
    SettingsForm,
    UploadForm,
    WorkUseForm,
)
from boundaries.webactivity.identity_import import IdentityFileError, read_identities
from boundaries.webactivity.ingest import analyse_for_school
from boundaries.webactivity.inputs import identity_rows, settings_for
from boundaries.webactivity.models import (
    AnalysisRun,
    ChallengeStatus,
    FigureChallenge,
    IdentityMapping,
    WorkUseMark,
)
from engines.weblogs import WeblogsError, load_catalogue


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
def school_report(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "webactivity.report")
    threshold = settings_for(organisation).threshold_minutes
    span = report.period(organisation, _date(request.GET.get("from")), _date(request.GET.get("to")))
    context: dict[str, Any] = {
        "organisation": organisation,
        "threshold": threshold,
        "span": span,
        "runs": AnalysisRun.objects.filter(organisation=organisation).prefetch_related("sources")[
            :10
        ],
        "can_manage": can(request.user, "webactivity.manage", organisation),
        "open_challenges": FigureChallenge.objects.filter(
            organisation=organisation, status=ChallengeStatus.OPEN
        ).count()
        if can(request.user, "webactivity.manage", organisation)
        else 0,
    }
    if span is not None:
        rows = report.day_rows(organisation, span[0], span[1], threshold)
        context.update(
            rows=rows,
            chart=report.chart(rows),
            people=report.people_above(organisation, span[0], span[1], threshold),
        )
    return render(request, "webactivity/report.html", context)


@login_required
def person_drilldown(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """A named view: the reason is asked for every time, and written to the audit log."""
    organisation = organisation_for(request.user, org, "webactivity.report")
    staff = staff_for_drilldown(request.user, organisation, pk)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        actions.record_named_view(
            organisation, staff, reason=form.cleaned_data["reason"], actor=acting_user(request)
        )
        response = render(
            request,
            "webactivity/person.html",
            {
                "organisation": organisation,
                "staff": staff,
                "days": report.person_days(staff),
                "threshold": settings_for(organisation).threshold_minutes,
                "challenges": FigureChallenge.objects.filter(staff=staff),
                "reason": form.cleaned_data["reason"],
            },
        )
        response["Cache-Control"] = "no-store"
        return response
    return render(
        request,
        "webactivity/reason.html",
        {"organisation": organisation, "form": form, "staff_id": staff.pk},
    )


@login_required
def my_figures(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "webactivity.own")
    records = own_staff_records(request.user, organisation)
    return render(
        request,
        "webactivity/mine.html",
        {
            "organisation": organisation,
            "records": [
                (r, report.person_days(r), FigureChallenge.objects.filter(staff=r)) for r in records
            ],
            "threshold": settings_for(organisation).threshold_minutes,
        },
    )


@login_required
def challenge(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = organisation_for(request.user, org, "webactivity.own")
    figure = own_figure_for(request.user, organisation, pk)
    form = ChallengeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        actions.challenge_figure(figure, note=form.cleaned_data["note"], actor=acting_user(request))
        messages.success(request, "Your note is recorded; the headteacher will answer it")
        return redirect("webactivity:mine", organisation.slug)
    return render(
        request,
        "webactivity/challenge.html",
        {"organisation": organisation, "figure": figure, "form": form},
    )


@login_required
def challenges(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "webactivity.manage")
    return render(
        request,
        "webactivity/challenges.html",
        {
            "organisation": organisation,
            "challenges": FigureChallenge.objects.filter(organisation=organisation).select_related(
                "staff"
            ),
        },
    )


@login_required
def answer_challenge(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = organisation_for(request.user, org, "webactivity.manage")
    item = challenge_for(request.user, organisation, pk)
    form = AnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.transition(
                item,
                ChallengeStatus.ANSWERED,
                answer=form.cleaned_data["answer"],
                actor=acting_user(request),
            )
        except actions.WebActivityError as error:
            form.add_error("answer", str(error))
        else:
            messages.success(request, "Your answer is recorded")
            return redirect("webactivity:challenges", organisation.slug)
    return render(
        request,
        "webactivity/answer.html",
        {"organisation": organisation, "challenge": item, "form": form},
    )


def _on_disk(upload_file: UploadedFile) -> tuple[Path, bool]:
    """The upload as a file on disk, and whether we made it (and so must delete it).

    Large uploads are already in Django's temporary file, which closing deletes; small
    ones arrive in memory and are written to a private temporary file.
    """
    if isinstance(upload_file, TemporaryUploadedFile):
        return Path(upload_file.temporary_file_path()), False
    handle, name = tempfile.mkstemp(prefix="boundaries-log-")
    with os.fdopen(handle, "wb") as out:
        for chunk in upload_file.chunks():
            out.write(chunk)
    return Path(name), True


@login_required
def upload(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "webactivity.manage")
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        uploader=Uploader.of(request, organisation, "webactivity.upload"),
    )
    result = None
    if request.method == "POST" and form.is_valid():
        log = form.cleaned_data["log"]
        path, ours = _on_disk(log)
        try:
            run, analysis = analyse_for_school(
                organisation,
                [path],
                fmt=form.cleaned_data["format"],
                columns=form.cleaned_data["columns"] or None,
                actor=acting_user(request),
                names=[log.name or "upload"],
                workers=1,
            )
            result = (run, analysis)
        except WeblogsError as error:
            form.add_error("log", str(error).replace(str(path), log.name or "the file"))
        finally:
            if ours:
                path.unlink(missing_ok=True)
            log.close()
    return render(
        request,
        "webactivity/upload.html",
        {"organisation": organisation, "form": form, "result": result},
    )


@login_required
def settings_page(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "webactivity.manage")
    current = settings_for(organisation)
    form = SettingsForm(
        request.POST or None,
        initial={
            "threshold_minutes": current.threshold_minutes,
            "retention_days": current.retention_days,
            "match_email_logins": current.match_email_logins,
        },
    )
    if request.method == "POST" and form.is_valid():
        actions.save_settings(organisation, actor=acting_user(request), **form.cleaned_data)
        messages.success(request, "Settings saved")
        return redirect("webactivity:settings", organisation.slug)
    return render(
        request,
        "webactivity/settings.html",
        {
            "organisation": organisation,
            "form": form,
            "identities_form": IdentitiesForm(),
            "mappings": IdentityMapping.objects.filter(organisation=organisation).select_related(
                "staff"
            ),
            "email_logins": [r for r in identity_rows(organisation) if "ip" not in r],
            "marks": WorkUseMark.objects.filter(organisation=organisation).select_related("staff"),
            "work_use_form": _work_use_form(organisation),
        },
    )


def _work_use_form(organisation: Organisation, data: Any = None) -> WorkUseForm:
    staff = StaffRecord.objects.filter(organisation=organisation).values_list("pk", "full_name")
    return WorkUseForm(data, platforms=list(load_catalogue().names), staff=list(staff))


@login_required
@require_POST
def identities_upload(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "webactivity.manage")
    form = IdentitiesForm(
        request.POST,
        request.FILES,
        uploader=Uploader.of(request, organisation, "webactivity.identities"),
    )
    if form.is_valid():
        upload_file = form.cleaned_data["identities"]
        try:
            rows = read_identities(organisation, upload_file.read())
        except IdentityFileError as error:
            form.add_error("identities", f"{upload_file.name}, {error}")
        else:
            count = actions.replace_identities(
                organisation, rows, actor=acting_user(request), source=upload_file.name or ""
            )
            messages.success(request, f"{count} identity mappings saved")
            return redirect("webactivity:settings", organisation.slug)
    return render(
        request, "webactivity/identities_error.html", {"organisation": organisation, "form": form}
    )


@login_required
@require_POST
def work_use_add(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "webactivity.manage")
    form = _work_use_form(organisation, request.POST)
    if form.is_valid():
        staff_id = form.cleaned_data["staff"]
        staff = (
            StaffRecord.objects.get(organisation=organisation, pk=staff_id) if staff_id else None
        )
        actions.mark_work_use(
            organisation, form.cleaned_data["platform"], staff, actor=acting_user(request)
        )
        messages.success(request, "Work use saved")
    return redirect("webactivity:settings", organisation.slug)


@login_required
@require_POST
def work_use_remove(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = organisation_for(request.user, org, "webactivity.manage")
    actions.unmark_work_use(
        work_use_mark_for(request.user, organisation, pk), actor=acting_user(request)
    )
    messages.success(request, "Work use removed")
    return redirect("webactivity:settings", organisation.slug)


def _document(request: HttpRequest, org: str, action: str, name: str, title: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, action)
    context = notice_context(organisation, today=timezone.localdate())
    text = render_markdown(name, context)
    if request.GET.get("download") == "md":
        response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{organisation.slug}-{name}.md"'
        return response
    if request.GET.get("download") == "pdf":
        return pdf_response(
            request,
            "webactivity/document_pdf.html",
            {"organisation": organisation, "title": title, "markdown": text},
            f"{organisation.slug}-{name}.pdf",
            pdf_variant="pdf/ua-1",
        )
    return render(
        request,
        "webactivity/document.html",
        {"organisation": organisation, "title": title, "markdown": text, "name": name, **context},
    )


@login_required
def notice(request: HttpRequest, org: str) -> HttpResponse:
    return _document(request, org, "webactivity.own", "transparency-notice", "Transparency notice")


@login_required
def dpia(request: HttpRequest, org: str) -> HttpResponse:
    return _document(request, org, "webactivity.report", "dpia-template", "DPIA template")
