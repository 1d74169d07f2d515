"""The versioned REST API. Thin: it authorises through the same access functions as the
pages and calls the same actions."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import File, NinjaAPI, Status, UploadedFile
from ninja.errors import HttpError, Throttled
from ninja.openapi.schema import OpenAPISchema
from ninja.security import django_auth

from boundaries.api.schemas import (
    AdoptionOut,
    ClauseDiffOut,
    DiffOut,
    ErrorOut,
    ImportOut,
    OrganisationOut,
    PolicyOut,
    RatifyIn,
    VersionOut,
    VersionSummary,
)
from boundaries.api.tokens import TokenAuth
from boundaries.core.access import organisation_for, organisations_of
from boundaries.core.models import User
from boundaries.policies import actions, overview
from boundaries.policies.access import policy_for, version_for, version_visible
from boundaries.policies.diff import diff_versions
from boundaries.policies.importing import ImportRefused, parse_upload, save_import
from boundaries.policies.models import Clause, PolicyVersion
from boundaries.security import malware, rate_limits, request_log


class BoundariesApi(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> OpenAPISchema:
        """Every operation may be refused for a rate limit: the schema says so."""
        schema = super().get_openapi_schema(**kwargs)
        rate_limits.document_refusals(schema)
        return schema


api = BoundariesApi(
    title="Boundaries API",
    version="1",
    description="Policies, versions and clauses of the organisations you belong to.",
    auth=[django_auth, TokenAuth()],
    throttle=[rate_limits.ApiThrottle()],
    urls_namespace="api-v1",
)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> Any:
    request_log.refused(request, exc)
    return api.create_response(request, {"detail": "Not found"}, status=404)


@api.exception_handler(Throttled)
def rate_limited(request: HttpRequest, exc: Throttled) -> Any:
    body = rate_limits.api_refusal(request)
    response = api.create_response(request, body, status=429)
    response["Retry-After"] = str(body["retry_after"])
    return response


@api.exception_handler(actions.PolicyError)
def refused(request: HttpRequest, exc: actions.PolicyError) -> Any:
    return api.create_response(request, {"detail": str(exc)}, status=409)


def _person(request: HttpRequest) -> User:
    """Writes need a person to record in the audit log, not a token."""
    if not isinstance(request.user, User):
        raise HttpError(403, "This action needs a signed-in person, not an API token")
    return request.user


def _summary(v: PolicyVersion) -> dict[str, Any]:
    return {
        "id": v.pk,
        "number": v.number,
        "status": v.status,
        "title": v.title,
        "date_ratified": v.date_ratified,
        "ratification_minute_ref": v.ratification_minute_ref,
        "date_in_force": v.date_in_force,
        "review_due": v.review_due(),
        "adopted_from": v.adopted_from_id,
        "content_hash": v.content_hash,
    }


def _clause(c: Clause) -> dict[str, Any]:
    return {
        "number": c.number,
        "anchor": c.anchor,
        "heading": c.heading,
        "text": c.text,
        "notes": [{"kind": n.kind, "text": n.text} for n in c.notes.all()],
        "controls": sorted(x.control for x in c.controls.all()),
        "children": [_clause(child) for child in c.children_list],
    }


@api.get("/organisations", response=list[OrganisationOut], tags=["organisations"])
def list_organisations(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "slug": o.slug,
            "name": o.name,
            "kind": o.kind,
            "parent": o.parent.slug if o.parent else None,
        }
        for o in organisations_of(request.user)
    ]


@api.get("/organisations/{org}/policies", response=list[PolicyOut], tags=["policies"])
def list_policies(request: HttpRequest, org: str) -> list[dict[str, Any]]:
    organisation = organisation_for(request.user, org, "policy.view")
    return [_policy(request, organisation, p) for p in organisation.policies.all()]


def _policy(request: HttpRequest, organisation: Any, policy: Any) -> dict[str, Any]:
    in_force = policy.version_in_force()
    return {
        "id": policy.pk,
        "title": policy.title,
        "kind": policy.kind,
        "is_model": policy.is_model,
        "version_in_force": in_force.pk if in_force else None,
        "versions": [
            _summary(v)
            for v in policy.versions.order_by("-number")
            if version_visible(request.user, v, organisation)
        ],
    }


@api.get("/organisations/{org}/policies/{int:pk}", response=PolicyOut, tags=["policies"])
def get_policy(request: HttpRequest, org: str, pk: int) -> dict[str, Any]:
    organisation = organisation_for(request.user, org, "policy.view")
    return _policy(request, organisation, policy_for(request.user, organisation, pk))


@api.get("/organisations/{org}/versions/{int:vid}", response=VersionOut, tags=["policies"])
def get_version(request: HttpRequest, org: str, vid: int) -> dict[str, Any]:
    organisation = organisation_for(request.user, org, "policy.view")
    version = version_for(request.user, organisation, vid)
    return {
        **_summary(version),
        "date_written": version.date_written,
        "date_adopted": version.date_adopted,
        "policy": version.policy_id,
        "clauses": [_clause(c) for c in version.clause_tree()],
    }


@api.get("/organisations/{org}/policies/{int:pk}/diff", response=DiffOut, tags=["policies"])
def diff(
    request: HttpRequest, org: str, pk: int, from_version: int, to_version: int
) -> dict[str, Any]:
    organisation = organisation_for(request.user, org, "policy.view")
    policy = policy_for(request.user, organisation, pk)
    old = version_for(request.user, organisation, from_version)
    new = version_for(request.user, organisation, to_version)
    if old.policy_id != policy.pk or new.policy_id != policy.pk:
        raise Http404
    rows = diff_versions(old, new)
    return {
        "from_version": old.pk,
        "to_version": new.pk,
        "clauses": [
            ClauseDiffOut(
                number=r.number, state=r.state, heading=r.heading, text_html=str(r.text_html)
            )
            for r in rows
        ],
    }


@api.post(
    "/organisations/{org}/policies/import",
    response={200: ImportOut, 201: ImportOut, 400: ErrorOut, 503: ErrorOut},
    tags=["policies"],
)
def import_policy(
    request: HttpRequest, org: str, document: UploadedFile = File(...), save: bool = False
) -> Any:
    """Parse a policy document; with `save=true`, store it as a new draft version."""
    organisation = organisation_for(request.user, org, "policy.manage")
    if document.size and document.size > 10 * 1024 * 1024:
        return Status(400, {"detail": "The document must be smaller than 10 MB"})
    try:
        malware.scan_upload(
            document, malware.Uploader.of(request, organisation, "api.policies.import")
        )
    except malware.UploadRefused as refused:
        return Status(refused.status, {"detail": str(refused)})
    try:
        parsed = parse_upload(document.read(), document.name or "document")
    except ImportRefused as error:
        return Status(400, {"detail": str(error)})
    body = {**parsed.to_json(), "saved": False, "version": None}
    if save:
        version = save_import(organisation, parsed, actor=_person(request))
        body.update(saved=True, version=version.pk)
        return Status(201, body)
    return Status(200, body)


@api.post(
    "/organisations/{org}/versions/{int:vid}/ratify",
    response={200: VersionSummary, 409: ErrorOut},
    tags=["policies"],
)
def ratify(request: HttpRequest, org: str, vid: int, payload: RatifyIn) -> Any:
    organisation = organisation_for(request.user, org, "policy.ratify")
    version = version_for(request.user, organisation, vid, "policy.ratify")
    version = actions.ratify(
        version,
        date_ratified=payload.date_ratified,
        minute_ref=payload.minute_ref,
        next_review=payload.next_review,
        actor=_person(request),
    )
    return _summary(version)


@api.post(
    "/organisations/{org}/versions/{int:vid}/bring-into-force",
    response={200: VersionSummary, 409: ErrorOut},
    tags=["policies"],
)
def bring_into_force(request: HttpRequest, org: str, vid: int, material_change: bool = True) -> Any:
    """`material_change=false` marks a minor change: nobody is asked to read it again."""
    organisation = organisation_for(request.user, org, "policy.manage")
    version = version_for(request.user, organisation, vid, "policy.manage")
    version = actions.bring_into_force(
        version,
        actor=_person(request),
        today=timezone.localdate(),
        material_change=material_change,
    )
    return _summary(version)


@api.get("/organisations/{org}/adoption", response=list[AdoptionOut], tags=["authority"])
def adoption(request: HttpRequest, org: str) -> list[dict[str, Any]]:
    organisation = organisation_for(request.user, org, "adoption.view")
    return [
        {
            "school": r.school.slug,
            "name": r.school.name,
            "version": r.version.number if r.version else None,
            "model_version": r.model.number if r.model else None,
            "review_due": r.review_due,
            "overdue": r.overdue,
        }
        for r in overview.adoption_rows(organisation, timezone.localdate())
    ]


def _mount_feature_routers() -> None:
    """Each feature app may define `api.py` with a ninja `router`; mount them all."""
    import importlib

    for app_name in (
        "roster",
        "acknowledgements",
        "declarations",
        "concerns",
        "screening",
        "webactivity",
        "reports",
        "security",
    ):
        try:
            module = importlib.import_module(f"boundaries.{app_name}.api")
        except ModuleNotFoundError as error:
            if error.name != f"boundaries.{app_name}.api":
                raise
            continue
        api.add_router("/", module.router, tags=[app_name])


_mount_feature_routers()
