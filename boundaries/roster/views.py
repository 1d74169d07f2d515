"""The import pages: upload, see the dry run, confirm."""

from __future__ import annotations

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from boundaries.core.access import acting_user, organisation_for
from boundaries.roster.actions import ImportRefused, import_file
from boundaries.roster.forms import ImportForm
from boundaries.security.malware import Uploader

SESSION_KEY = "roster_import"
MAX_SESSION_BYTES = 5 * 1024 * 1024


@login_required
def upload(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "roster.import")
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        uploader=Uploader.of(request, organisation, "roster.import"),
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["document"]
        data = upload.read()
        options = {
            "kind": form.cleaned_data["kind"],
            "preset": form.cleaned_data["preset"],
            "columns": form.cleaned_data["columns"],
            "full": not form.cleaned_data["partial"],
        }
        try:
            plan = import_file(
                organisation,
                options["kind"],
                data,
                filename=upload.name,
                preset=options["preset"],
                columns=options["columns"],
                full=options["full"],
                dry_run=True,
                actor=acting_user(request),
            )
        except ImportRefused as error:
            form.add_error("document", str(error))
        else:
            if plan.ok and plan.changes_anything and len(data) <= MAX_SESSION_BYTES:
                request.session[SESSION_KEY] = {
                    "org": organisation.pk,
                    "filename": upload.name,
                    "data": base64.b64encode(data).decode(),
                    "sha256": plan.sha256,
                    **options,
                }
            return render(
                request,
                "roster/import_check.html",
                {"organisation": organisation, "plan": plan, "summary": plan.summary()},
            )
    return render(
        request, "roster/import_upload.html", {"organisation": organisation, "form": form}
    )


@login_required
def confirm(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "roster.import")
    pending = request.session.get(SESSION_KEY)
    if request.method != "POST" or not pending or pending.get("org") != organisation.pk:
        messages.info(request, "Upload the file again: nothing is waiting to be imported.")
        return redirect("roster:import", org)
    plan = import_file(
        organisation,
        pending["kind"],
        base64.b64decode(pending["data"]),
        filename=pending["filename"],
        preset=pending["preset"],
        columns=pending["columns"],
        full=pending["full"],
        dry_run=False,
        actor=acting_user(request),
    )
    del request.session[SESSION_KEY]
    if not plan.ok:
        return render(
            request,
            "roster/import_check.html",
            {"organisation": organisation, "plan": plan, "summary": plan.summary()},
        )
    messages.success(request, f"Imported {plan.filename}: {plan.describe()}.")
    return redirect("roster:import", org)
