"""Policy pages: parse the request, authorise through access functions, call an action."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from boundaries.core.access import acting_user, can, organisation_for
from boundaries.core.models import Organisation
from boundaries.policies import actions, overview
from boundaries.policies.access import (
    clause_for,
    conflict_for,
    model_versions_for_school,
    policy_for,
    version_for,
    version_visible,
)
from boundaries.policies.catalogue import controls as control_catalogue
from boundaries.policies.controls import control_status, suggest_controls
from boundaries.policies.diff import diff_versions
from boundaries.policies.forms import (
    ClauseForm,
    ConflictDecisionForm,
    ConflictFlagForm,
    ImportForm,
    LinkForm,
    RatifyForm,
)
from boundaries.policies.importing import ImportRefused, ParsedImport, parse_upload, save_import
from boundaries.policies.models import PolicyVersion, VersionStatus
from boundaries.security.malware import Uploader

SESSION_IMPORT = "policy_import"


def _version_context(
    request: HttpRequest, organisation: Organisation, version: PolicyVersion
) -> dict[str, Any]:
    user = request.user
    return {
        "organisation": organisation,
        "policy": version.policy,
        "version": version,
        "clauses": version.clause_tree(),
        "conflicts": {
            c.clause_id: c
            for clause in version.clauses.prefetch_related("conflicts")
            for c in clause.conflicts.all()
        },
        "links": version.policy.links.select_related("target"),
        "review_due": version.review_due(),
        "review_overdue": version.review_overdue(timezone.localdate()),
        "can_manage": can(user, "policy.manage", organisation),
        "can_ratify": can(user, "policy.ratify", organisation)
        and version.can_move_to(VersionStatus.RATIFIED),
        "can_bring_into_force": can(user, "policy.manage", organisation)
        and version.can_move_to(VersionStatus.IN_FORCE),
        "can_decide": can(user, "conflict.decide", organisation),
        "can_see_drafts": can(user, "policy.view_draft", organisation),
    }


@login_required
def policy_list(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "policy.view")
    rows = [(p, p.version_in_force()) for p in organisation.policies.all()]
    return render(
        request,
        "policies/policy_list.html",
        {
            "organisation": organisation,
            "rows": rows,
            "can_manage": can(request.user, "policy.manage", organisation),
        },
    )


@login_required
def policy_detail(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = organisation_for(request.user, org, "policy.view")
    policy = policy_for(request.user, organisation, pk)
    version = policy.version_in_force()
    if version is None:
        latest = policy.versions.order_by("-number").first()
        if latest is not None and version_visible(request.user, latest, organisation):
            return redirect("policies:version", org, latest.pk)
        return render(
            request, "policies/no_version.html", {"organisation": organisation, "policy": policy}
        )
    return render(
        request, "policies/version.html", _version_context(request, organisation, version)
    )


@login_required
def version_detail(request: HttpRequest, org: str, vid: int) -> HttpResponse:
    organisation = organisation_for(request.user, org, "policy.view")
    version = version_for(request.user, organisation, vid)
    return render(
        request, "policies/version.html", _version_context(request, organisation, version)
    )


@login_required
def history(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = organisation_for(request.user, org, "policy.view")
    policy = policy_for(request.user, organisation, pk)
    versions = [
        v
        for v in policy.versions.order_by("-number")
        if version_visible(request.user, v, organisation)
    ]
    rows = list(zip(versions, [*versions[1:], None], strict=True))
    return render(
        request,
        "policies/history.html",
        {
            "organisation": organisation,
            "policy": policy,
            "versions": versions,
            "rows": rows,
            "can_manage": can(request.user, "policy.manage", organisation),
        },
    )


def _int_param(request: HttpRequest, name: str) -> int | None:
    raw = request.GET.get(name, "")
    return int(raw) if raw.isdigit() else None


@login_required
def diff(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = organisation_for(request.user, org, "policy.view")
    policy = policy_for(request.user, organisation, pk)
    versions = [
        v
        for v in policy.versions.order_by("-number")
        if version_visible(request.user, v, organisation)
    ]
    if len(versions) < 2:
        return render(
            request,
            "policies/diff.html",
            {"organisation": organisation, "policy": policy, "versions": versions, "rows": None},
        )
    from_id, to_id = _int_param(request, "from"), _int_param(request, "to")
    old = version_for(request.user, organisation, from_id) if from_id else versions[1]
    new = version_for(request.user, organisation, to_id) if to_id else versions[0]
    if old.policy_id != policy.pk or new.policy_id != policy.pk:
        raise Http404("No such version")
    rows = diff_versions(old, new)
    return render(
        request,
        "policies/diff.html",
        {
            "organisation": organisation,
            "policy": policy,
            "versions": versions,
            "old": old,
            "new": new,
            "rows": rows,
            "changed": sum(r.changed for r in rows),
        },
    )


@login_required
def model_diff(request: HttpRequest, org: str, vid: int) -> HttpResponse:
    organisation = organisation_for(request.user, org, "policy.view")
    version = version_for(request.user, organisation, vid)
    if version.adopted_from is None:
        raise Http404("This version was not adopted from a model policy")
    rows = diff_versions(version.adopted_from, version)
    return render(
        request,
        "policies/model_diff.html",
        {
            "organisation": organisation,
            "version": version,
            "model": version.adopted_from,
            "rows": rows,
            "changed": sum(r.changed for r in rows),
        },
    )


@login_required
def import_upload(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "policy.manage")
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        uploader=Uploader.of(request, organisation, "policies.import"),
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["document"]
        try:
            parsed = parse_upload(upload.read(), upload.name)
        except ImportRefused as error:
            form.add_error("document", str(error))
        else:
            request.session[SESSION_IMPORT] = {"org": organisation.pk, "parsed": parsed.to_json()}
            return redirect("policies:import_confirm", org)
    return render(
        request, "policies/import_upload.html", {"organisation": organisation, "form": form}
    )


@login_required
def import_confirm(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "policy.manage")
    pending = request.session.get(SESSION_IMPORT)
    if not pending or pending.get("org") != organisation.pk:
        messages.info(request, "Upload the document again: nothing is waiting to be imported.")
        return redirect("policies:import", org)
    parsed = ParsedImport.from_json(pending["parsed"])
    models = model_versions_for_school(organisation)
    if request.method == "POST":
        adopted_from = None
        chosen = request.POST.get("adopted_from", "")
        if chosen:
            adopted_from = next((m for m in models if str(m.pk) == chosen), None)
            if adopted_from is None:
                raise Http404("No such model version")
        version = save_import(
            organisation, parsed, actor=acting_user(request), adopted_from=adopted_from
        )
        del request.session[SESSION_IMPORT]
        messages.success(
            request, f"Imported {parsed.clause_count()} clauses as draft version {version.number}."
        )
        return redirect("policies:version", org, version.pk)
    return render(
        request,
        "policies/import_confirm.html",
        {
            "organisation": organisation,
            "parsed": parsed,
            "models": models,
        },
    )


@login_required
def adopt(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "policy.adopt")
    models = model_versions_for_school(organisation)
    if request.method == "POST":
        chosen = next((m for m in models if str(m.pk) == request.POST.get("model", "")), None)
        if chosen is None:
            return render(
                request,
                "policies/adopt.html",
                {
                    "organisation": organisation,
                    "models": models,
                    "error": "Choose the model policy version to adopt",
                },
                status=400,
            )
        version = actions.adopt_model(organisation, chosen, actor=acting_user(request))
        messages.success(
            request,
            f"Adopted {chosen} as a draft. Make any local changes, then record ratification.",
        )
        return redirect("policies:version", org, version.pk)
    return render(request, "policies/adopt.html", {"organisation": organisation, "models": models})


@login_required
def ratify(request: HttpRequest, org: str, vid: int) -> HttpResponse:
    organisation = organisation_for(request.user, org, "policy.ratify")
    version = version_for(request.user, organisation, vid, "policy.ratify")
    if not version.can_move_to(VersionStatus.RATIFIED):
        raise Http404("This version cannot be ratified")
    initial = {"date_ratified": version.date_ratified, "next_review": version.next_review}
    form = RatifyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.ratify(
                version,
                date_ratified=form.cleaned_data["date_ratified"],
                minute_ref=form.cleaned_data["minute_ref"],
                next_review=form.cleaned_data["next_review"],
                actor=acting_user(request),
            )
        except actions.PolicyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Ratification recorded.")
            return redirect("policies:version", org, version.pk)
    return render(
        request,
        "policies/ratify.html",
        {"organisation": organisation, "version": version, "form": form},
    )


@login_required
def bring_into_force(request: HttpRequest, org: str, vid: int) -> HttpResponse:
    organisation = organisation_for(request.user, org, "policy.manage")
    version = version_for(request.user, organisation, vid, "policy.manage")
    if not version.can_move_to(VersionStatus.IN_FORCE):
        raise Http404("This version cannot be brought into force")
    current = version.policy.version_in_force()
    if request.method == "POST":
        actions.bring_into_force(
            version,
            actor=acting_user(request),
            today=timezone.localdate(),
            material_change=current is None or request.POST.get("material_change") == "yes",
        )
        word = "Published" if version.policy.is_model else "Brought into force"
        messages.success(request, f"{word}: version {version.number}.")
        return redirect("policies:policy", org, version.policy_id)
    return render(
        request,
        "policies/bring_into_force.html",
        {"organisation": organisation, "version": version, "current": current},
    )


@login_required
def clause_edit(request: HttpRequest, org: str, cid: int) -> HttpResponse:
    organisation = organisation_for(request.user, org, "policy.manage")
    clause = clause_for(request.user, organisation, cid, "policy.manage")
    if not clause.version.is_editable:
        raise Http404("Only a draft can be changed")
    form = ClauseForm(
        request.POST or None, initial={"heading": clause.heading, "text": clause.text}
    )
    if request.method == "POST" and form.is_valid():
        actions.edit_clause(
            clause,
            heading=form.cleaned_data["heading"],
            text=form.cleaned_data["text"],
            actor=acting_user(request),
        )
        messages.success(request, f"Clause {clause.number} saved.")
        return redirect(f"/o/{org}/versions/{clause.version_id}/#{clause.anchor}")
    return render(
        request,
        "policies/clause_edit.html",
        {"organisation": organisation, "clause": clause, "form": form},
    )


@login_required
def traceability(request: HttpRequest, org: str, vid: int) -> HttpResponse:
    organisation = organisation_for(request.user, org, "policy.view")
    version = version_for(request.user, organisation, vid)
    today = timezone.localdate()
    catalogue = control_catalogue()
    statuses: dict[str, Any] = {}
    rows = []
    for clause in version.clauses.prefetch_related("controls").order_by("position"):
        items = []
        for code in sorted(c.control for c in clause.controls.all()):
            if code not in statuses:
                statuses[code] = control_status(code, organisation, today)
            items.append((catalogue[code], statuses[code]))
        rows.append((clause, items))
    return render(
        request,
        "policies/traceability.html",
        {
            "organisation": organisation,
            "version": version,
            "rows": rows,
            "can_map": can(request.user, "policy.manage", organisation),
        },
    )


@login_required
def map_controls(request: HttpRequest, org: str, vid: int) -> HttpResponse:
    organisation = organisation_for(request.user, org, "policy.manage")
    version = version_for(request.user, organisation, vid, "policy.manage")
    clauses = list(version.clauses.prefetch_related("controls", "notes").order_by("position"))
    catalogue = control_catalogue()
    if request.method == "POST":
        mapping = {
            c.pk: [code for code in request.POST.getlist(f"clause-{c.pk}") if code in catalogue]
            for c in clauses
        }
        actions.set_clause_controls(version, mapping, actor=acting_user(request))
        messages.success(request, "Controls saved.")
        return redirect("policies:traceability", org, vid)
    rows = []
    for clause in clauses:
        current = {c.control for c in clause.controls.all()}
        text = " ".join([clause.heading, clause.text, *(n.text for n in clause.notes.all())])
        suggested = {s.control.code: s.score for s in suggest_controls(text)}
        checked = current or set(suggested)
        rows.append(
            (
                clause,
                [
                    (c, c.code in checked, c.code in suggested and not current)
                    for c in catalogue.values()
                ],
            )
        )
    return render(
        request,
        "policies/map_controls.html",
        {"organisation": organisation, "version": version, "rows": rows},
    )


@login_required
def conflict_decide(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = organisation_for(request.user, org, "conflict.decide")
    conflict = conflict_for(request.user, organisation, pk, "conflict.decide")
    initial = {
        "decision": conflict.decision,
        "decided_on": conflict.decided_on,
        "minute_ref": conflict.decision_minute_ref,
    }
    form = ConflictDecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.decide_conflict(
            conflict,
            decision=form.cleaned_data["decision"],
            decided_on=form.cleaned_data["decided_on"],
            minute_ref=form.cleaned_data["minute_ref"],
            actor=acting_user(request),
        )
        messages.success(request, "The governing body's decision is recorded.")
        return redirect(f"/o/{org}/versions/{conflict.clause.version_id}/#{conflict.clause.anchor}")
    return render(
        request,
        "policies/conflict_decide.html",
        {"organisation": organisation, "conflict": conflict, "form": form},
    )


@login_required
def link_add(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = organisation_for(request.user, org, "policy.manage")
    policy = policy_for(request.user, organisation, pk)
    form = LinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.add_link(
            policy,
            title=form.cleaned_data["title"],
            url=form.cleaned_data["url"],
            clause_number=form.cleaned_data["clause_number"],
            actor=acting_user(request),
        )
        messages.success(request, "Link added.")
        return redirect("policies:policy", org, pk)
    return render(
        request,
        "policies/link_add.html",
        {"organisation": organisation, "policy": policy, "form": form},
    )


@login_required
def adoption(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "adoption.view")
    rows = overview.adoption_rows(organisation, timezone.localdate())
    return render(
        request,
        "policies/adoption.html",
        {
            "organisation": organisation,
            "rows": rows,
            "overdue": sum(r.overdue for r in rows),
            "adopted": sum(r.version is not None for r in rows),
        },
    )


@login_required
def start_new_version(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = organisation_for(request.user, org, "policy.manage")
    policy = policy_for(request.user, organisation, pk)
    if request.method != "POST":
        raise Http404("Use the button on the policy's page")
    try:
        version = actions.start_new_version(policy, actor=acting_user(request))
    except actions.PolicyError as error:
        messages.info(request, str(error).capitalize() + ".")
        return redirect("policies:history", org, pk)
    messages.success(
        request,
        f"Draft version {version.number} started. Change clauses, then record ratification.",
    )
    return redirect("policies:version", org, version.pk)


@login_required
def conflict_flag(request: HttpRequest, org: str, cid: int) -> HttpResponse:
    organisation = organisation_for(request.user, org, "conflict.decide")
    clause = clause_for(request.user, organisation, cid, "conflict.decide")
    form = ConflictFlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.flag_conflict(
            clause,
            guidance=form.cleaned_data["guidance"],
            reason=form.cleaned_data["reason"],
            actor=acting_user(request),
        )
        messages.success(request, f"Clause {clause.number} is flagged for the governing body.")
        return redirect(f"/o/{org}/versions/{clause.version_id}/#{clause.anchor}")
    return render(
        request,
        "policies/conflict_flag.html",
        {"organisation": organisation, "clause": clause, "form": form},
    )
