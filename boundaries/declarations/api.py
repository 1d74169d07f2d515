"""Declarations through the API, authorised by the same access functions as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from boundaries.core.access import organisation_for
from boundaries.core.models import User
from boundaries.declarations import actions
from boundaries.declarations.access import (
    declaration_for,
    declarations_to_review,
    is_owner,
    own_declarations,
)
from boundaries.declarations.errors import DeclarationError
from boundaries.declarations.models import ConnectionDeclaration, DeviceLoan, Vacancy
from boundaries.roster.models import Carer, Pupil

router = Router()


class DeclarationIn(Schema):
    counterpart_kind: str
    relationship: str
    platforms: list[str]
    pupil: int | None = None
    carer: int | None = None
    counterpart_name: str = ""
    relationship_detail: str = ""
    since: dt.date | None = None


class DeclarationOut(Schema):
    id: int
    staff: str
    counterpart_kind: str
    counterpart: str
    relationship: str
    platforms: list[str]
    since: dt.date | None
    status: str
    under_18: bool
    advice: str
    outcome: str
    reconfirmation_due: dt.date


class ReviewIn(Schema):
    outcome: str
    note: str = ""


class DetailOut(Schema):
    detail: str


class LoanOut(Schema):
    id: int
    device: str
    borrower: str
    purpose: str
    loaned_on: dt.date
    due_back: dt.date
    returned_on: dt.date | None
    overdue: bool
    wiped_on: dt.date | None


class VacancyOut(Schema):
    id: int
    title: str
    reference: str
    shortlisted: int
    attestation: str | None


def _person(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise HttpError(403, "This action needs a signed-in person, not an API token")
    return request.user


def _out(d: ConnectionDeclaration) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "id": d.pk,
        "staff": d.staff.full_name,
        "counterpart_kind": d.counterpart_kind,
        "counterpart": d.counterpart_label,
        "relationship": d.relationship,
        "platforms": d.platforms,
        "since": d.since,
        "status": d.status,
        "under_18": d.under_18(today),
        "advice": d.advice_shown,
        "outcome": d.outcome,
        "reconfirmation_due": d.reconfirmation_due(),
    }


@router.get("/organisations/{org}/declarations", response=list[DeclarationOut])
def list_declarations(request: HttpRequest, org: str, review: bool = False) -> list[Any]:
    """Your own declarations; `review=true` for those you review (line manager, DSL)."""
    organisation = organisation_for(
        request.user, org, "declaration.review_list" if review else "declaration.create"
    )
    rows = (declarations_to_review if review else own_declarations)(request.user, organisation)
    return [_out(d) for d in rows]


@router.post("/organisations/{org}/declarations", response={201: DeclarationOut, 400: DetailOut})
def declare(request: HttpRequest, org: str, payload: DeclarationIn) -> Any:
    organisation = organisation_for(request.user, org, "declaration.create")
    pupil = (
        Pupil.objects.filter(organisation=organisation, pk=payload.pupil).first()
        if payload.pupil
        else None
    )
    carer = (
        Carer.objects.filter(organisation=organisation, pk=payload.carer).first()
        if payload.carer
        else None
    )
    if (payload.pupil and pupil is None) or (payload.carer and carer is None):
        return Status(400, {"detail": "No such pupil or carer at this school"})
    try:
        declaration = actions.declare_connection(
            organisation,
            actor=_person(request),
            counterpart_kind=payload.counterpart_kind,
            relationship=payload.relationship,
            platforms=payload.platforms,
            pupil=pupil,
            carer=carer,
            counterpart_name=payload.counterpart_name,
            relationship_detail=payload.relationship_detail,
            since=payload.since,
        )
    except DeclarationError as error:
        return Status(400, {"detail": str(error)})
    return Status(201, _out(declaration))


@router.get("/organisations/{org}/declarations/{int:pk}", response=DeclarationOut)
def get_declaration(request: HttpRequest, org: str, pk: int) -> Any:
    organisation = organisation_for(request.user, org, "organisation.view")
    declaration = declaration_for(request.user, organisation, pk)
    person = _person(request)
    if not is_owner(person, declaration):
        actions.record_read(declaration, actor=person)
    return _out(declaration)


@router.post(
    "/organisations/{org}/declarations/{int:pk}/acknowledge",
    response={200: DeclarationOut, 409: DetailOut},
)
def acknowledge(request: HttpRequest, org: str, pk: int) -> Any:
    organisation = organisation_for(request.user, org, "organisation.view")
    declaration = declaration_for(request.user, organisation, pk, purpose="own")
    try:
        return _out(actions.acknowledge_advice(declaration, actor=_person(request)))
    except DeclarationError as error:
        return Status(409, {"detail": str(error)})


@router.post(
    "/organisations/{org}/declarations/{int:pk}/review",
    response={200: DeclarationOut, 409: DetailOut},
)
def review(request: HttpRequest, org: str, pk: int, payload: ReviewIn) -> Any:
    organisation = organisation_for(request.user, org, "organisation.view")
    declaration = declaration_for(request.user, organisation, pk, purpose="review")
    try:
        return _out(
            actions.review(
                declaration, actor=_person(request), outcome=payload.outcome, note=payload.note
            )
        )
    except DeclarationError as error:
        return Status(409, {"detail": str(error)})


@router.get("/organisations/{org}/device-loans", response=list[LoanOut])
def device_loans(request: HttpRequest, org: str, overdue: bool = False) -> list[Any]:
    organisation = organisation_for(request.user, org, "device.view")
    today = timezone.localdate()
    loans = DeviceLoan.objects.select_related("device", "borrower").filter(
        device__organisation=organisation
    )
    return [
        {
            "id": loan.pk,
            "device": str(loan.device),
            "borrower": loan.borrower.full_name,
            "purpose": loan.purpose,
            "loaned_on": loan.loaned_on,
            "due_back": loan.due_back,
            "returned_on": loan.returned_on,
            "overdue": loan.is_overdue(today),
            "wiped_on": loan.wiped_on,
        }
        for loan in loans
        if loan.is_overdue(today) or not overdue
    ]


@router.get("/organisations/{org}/vacancies", response=list[VacancyOut])
def vacancies(request: HttpRequest, org: str) -> list[Any]:
    organisation = organisation_for(request.user, org, "recruitment.view")
    rows = []
    for v in Vacancy.objects.filter(organisation=organisation).prefetch_related("candidates"):
        attestation = getattr(v, "attestation", None)
        rows.append(
            {
                "id": v.pk,
                "title": v.title,
                "reference": v.reference,
                "shortlisted": len(v.candidates.all()),
                "attestation": attestation.kind if attestation else None,
            }
        )
    return rows
