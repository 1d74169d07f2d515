"""Reading policies through the API: a person's assignments and confirming one; a school's
and an authority's rates (counts only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from boundaries.acknowledgements import actions
from boundaries.acknowledgements.access import own_assignment, own_staff_record
from boundaries.acknowledgements.models import Assignment, Method
from boundaries.acknowledgements.stats import Rate, rate_of, rates
from boundaries.core.access import organisation_for
from boundaries.core.models import Organisation, User
from boundaries.policies.models import VersionStatus

router = Router()


class AssignmentOut(Schema):
    id: int
    version: int
    title: str
    number: int
    content_hash: str
    due_on: dt.date
    material_change: bool
    done: bool


class AcknowledgeIn(Schema):
    answers: dict[int, int] = {}


class AcknowledgementOut(Schema):
    id: int
    version: int
    content_hash: str
    acknowledged_at: dt.datetime
    method: str
    score: int | None


class RateOut(Schema):
    organisation: str
    in_scope: int
    acknowledged: int
    percent: int | None
    overdue: int
    not_inducted: int
    privacy_percent: int | None


class DetailOut(Schema):
    detail: str


def _person(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise HttpError(403, "This needs a signed-in person, not an API token")
    return request.user


def _assignment(a: Assignment) -> dict[str, Any]:
    return {
        "id": a.pk,
        "version": a.version_id,
        "title": a.version.title,
        "number": a.version.number,
        "content_hash": a.version.content_hash,
        "due_on": a.due_on,
        "material_change": a.material_change,
        "done": a.is_done,
    }


def _rate(slug: str, rate: Rate) -> dict[str, Any]:
    return {
        "organisation": slug,
        "in_scope": rate.in_scope,
        "acknowledged": rate.acknowledged,
        "percent": rate.percent,
        "overdue": rate.overdue,
        "not_inducted": rate.not_inducted,
        "privacy_percent": rate.privacy_percent,
    }


@router.get("/organisations/{org}/to-read", response=list[AssignmentOut])
def to_read(request: HttpRequest, org: str) -> list[dict[str, Any]]:
    """The signed-in person's policies still to read."""
    organisation = organisation_for(request.user, org, "acknowledgements.read")
    staff = own_staff_record(_person(request), organisation)
    return [
        _assignment(a)
        for a in Assignment.objects.filter(
            staff=staff, version__status=VersionStatus.IN_FORCE, completed_at__isnull=True
        ).select_related("version")
    ]


@router.post(
    "/organisations/{org}/to-read/{int:pk}/acknowledge",
    response={201: AcknowledgementOut, 409: DetailOut},
)
def acknowledge(request: HttpRequest, org: str, pk: int, payload: AcknowledgeIn) -> Any:
    """Confirm having read the version, with the answers to the school's questions."""
    organisation = organisation_for(request.user, org, "acknowledgements.read")
    user = _person(request)
    assignment = own_assignment(user, organisation, pk)
    try:
        record = actions.acknowledge(
            assignment, user=user, answers=payload.answers, method=Method.API
        )
    except actions.AcknowledgementError as error:
        return Status(409, {"detail": str(error)})
    return Status(
        201,
        {
            "id": record.pk,
            "version": record.version_id,
            "content_hash": record.content_hash,
            "acknowledged_at": record.acknowledged_at,
            "method": record.method,
            "score": record.score,
        },
    )


@router.get("/organisations/{org}/acknowledgement-rate", response=RateOut)
def school_rate(request: HttpRequest, org: str) -> dict[str, Any]:
    organisation = organisation_for(request.user, org, "acknowledgements.view_rates")
    return _rate(organisation.slug, rate_of(organisation, timezone.localdate()))


@router.get("/organisations/{org}/schools/acknowledgement-rates", response=list[RateOut])
def authority_rates(request: HttpRequest, org: str) -> list[dict[str, Any]]:
    organisation = organisation_for(request.user, org, "reports.authority")
    schools = Organisation.objects.filter(parent=organisation).order_by("name")
    by_id = rates(schools, timezone.localdate())
    return [_rate(s.slug, by_id.get(s.pk, Rate())) for s in schools]
