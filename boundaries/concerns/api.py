"""Pupil-contact reports and concerns through the API, authorised by the same access
functions as the pages; every read of a concern is audited here too."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from boundaries.concerns import actions, contact_actions
from boundaries.concerns.access import concern_for, concerns_visible, contact_for, contacts_visible
from boundaries.concerns.counts import counts_for
from boundaries.concerns.errors import ConcernError
from boundaries.concerns.models import Concern, PupilContactReport
from boundaries.core.access import can, organisation_for
from boundaries.core.models import Organisation, StaffRecord, User
from boundaries.policies.models import Clause
from boundaries.roster.models import Pupil

router = Router()


class DetailOut(Schema):
    detail: str


class ContactIn(Schema):
    platform: str
    contacted_at: dt.datetime
    what_was_said: str
    did_not_respond: bool
    pupil: int | None = None
    pupil_description: str = ""


class StepOut(Schema):
    kind: str
    recorded_by: str
    recorded_at: dt.datetime
    note: str


class ContactOut(Schema):
    id: int
    status: str
    pupil: str
    platform: str
    contacted_at: dt.datetime
    what_was_said: str
    steps: list[StepOut]
    missing_steps: list[str]


class StepIn(Schema):
    kind: str
    note: str = ""


class TransitionIn(Schema):
    to: str
    note: str = ""
    outcome: str = ""
    lado_reference: str = ""


class ConcernIn(Schema):
    subject: int
    summary: str
    detail: str
    occurred_on: dt.date | None = None
    clauses: list[str] = []


class ConcernOut(Schema):
    id: int
    subject: str
    source: str
    summary: str
    detail: str
    clauses: list[str]
    status: str
    lado_due: dt.date | None
    outcome: str


class ConcernStatusOut(Schema):
    id: int
    status: str


class CountsOut(Schema):
    """Each row is [clause, [shown count per term], shown total]. Declared as a list rather
    than a tuple: a tuple is published as `prefixItems`, which schemathesis reads as the
    older `items: [...]` and so left this operation untested (fuzz/api.py)."""

    terms: list[str]
    rows: list[list[str | list[str]]]
    total: str


def _person(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise HttpError(403, "This action needs a signed-in person, not an API token")
    return request.user


def _contact(r: PupilContactReport) -> dict[str, Any]:
    return {
        "id": r.pk,
        "status": r.status,
        "pupil": r.pupil_label,
        "platform": r.platform,
        "contacted_at": r.contacted_at,
        "what_was_said": r.what_was_said,
        "steps": [
            {
                "kind": s.kind,
                "recorded_by": s.recorded_by.get_username() if s.recorded_by else "",
                "recorded_at": s.recorded_at,
                "note": s.note,
            }
            for s in r.steps.select_related("recorded_by")
        ],
        "missing_steps": r.missing_steps(),
    }


def _concern(c: Concern) -> dict[str, Any]:
    return {
        "id": c.pk,
        "subject": c.subject.full_name,
        "source": c.source,
        "summary": c.summary,
        "detail": c.detail,
        "clauses": sorted(x.number for x in c.clauses.all()),
        "status": c.status,
        "lado_due": c.lado_due,
        "outcome": c.outcome,
    }


@router.post("/organisations/{org}/pupil-contacts", response={201: ContactOut, 400: DetailOut})
def report_contact(request: HttpRequest, org: str, payload: ContactIn) -> Any:
    organisation = organisation_for(request.user, org, "pupil_contact.create")
    pupil = None
    if payload.pupil is not None:
        pupil = Pupil.objects.filter(organisation=organisation, pk=payload.pupil).first()
        if pupil is None:
            return Status(400, {"detail": "No such pupil at this school"})
    try:
        report = contact_actions.report_pupil_contact(
            organisation,
            actor=_person(request),
            platform=payload.platform,
            contacted_at=payload.contacted_at,
            what_was_said=payload.what_was_said,
            did_not_respond=payload.did_not_respond,
            pupil=pupil,
            pupil_description=payload.pupil_description,
        )
    except ConcernError as error:
        return Status(400, {"detail": str(error)})
    return Status(201, _contact(report))


@router.get("/organisations/{org}/pupil-contacts", response=list[ContactOut])
def list_contacts(request: HttpRequest, org: str) -> list[Any]:
    organisation = organisation_for(request.user, org, "pupil_contact.list")
    return [_contact(r) for r in contacts_visible(request.user, organisation)]


@router.get("/organisations/{org}/pupil-contacts/{int:pk}", response=ContactOut)
def get_contact(request: HttpRequest, org: str, pk: int) -> Any:
    organisation = organisation_for(request.user, org, "organisation.view")
    report = contact_for(request.user, organisation, pk)
    person = _person(request)
    if report.reporter_id != person.pk:
        contact_actions.record_read(report, actor=person)
    return _contact(report)


@router.post(
    "/organisations/{org}/pupil-contacts/{int:pk}/steps",
    response={200: ContactOut, 409: DetailOut},
)
def record_step(request: HttpRequest, org: str, pk: int, payload: StepIn) -> Any:
    organisation = organisation_for(request.user, org, "pupil_contact.manage")
    report = contact_for(request.user, organisation, pk, manage=True)
    try:
        contact_actions.record_step(
            report, actor=_person(request), kind=payload.kind, note=payload.note
        )
    except ConcernError as error:
        return Status(409, {"detail": str(error)})
    return _contact(report)


@router.post(
    "/organisations/{org}/pupil-contacts/{int:pk}/transition",
    response={200: ContactOut, 409: DetailOut},
)
def contact_transition(request: HttpRequest, org: str, pk: int, payload: TransitionIn) -> Any:
    organisation = organisation_for(request.user, org, "pupil_contact.manage")
    report = contact_for(request.user, organisation, pk, manage=True)
    try:
        report = contact_actions.transition(
            report, payload.to, actor=_person(request), note=payload.note
        )
    except (ConcernError, ValueError) as error:
        return Status(409, {"detail": str(error)})
    return _contact(report)


@router.get("/organisations/{org}/concerns", response=list[ConcernOut])
def list_concerns(request: HttpRequest, org: str) -> list[Any]:
    organisation = organisation_for(request.user, org, "concern.view")
    rows = list(concerns_visible(request.user, organisation).prefetch_related("clauses"))
    person = _person(request)
    for concern in rows:
        actions.record_read(concern, actor=person)
    return [_concern(c) for c in rows]


@router.post("/organisations/{org}/concerns", response={201: ConcernStatusOut, 400: DetailOut})
def raise_concern(request: HttpRequest, org: str, payload: ConcernIn) -> Any:
    """Anyone at the school can raise one; the answer says only its id and status."""
    organisation = organisation_for(request.user, org, "concern.raise")
    subject = StaffRecord.objects.filter(organisation=organisation, pk=payload.subject).first()
    if subject is None:
        return Status(400, {"detail": "No such member of staff at this school"})
    in_force = {c.number: c for c in actions.clauses_in_force(organisation)}
    unknown = [n for n in payload.clauses if n not in in_force]
    if unknown:
        return Status(400, {"detail": f"Not clauses of the policy in force: {unknown}"})
    clauses: list[Clause] = [in_force[n] for n in payload.clauses]
    try:
        concern = actions.raise_concern(
            organisation,
            actor=_person(request),
            subject=subject,
            summary=payload.summary,
            detail=payload.detail,
            occurred_on=payload.occurred_on,
            clauses=clauses,
        )
    except ConcernError as error:
        return Status(400, {"detail": str(error)})
    return Status(201, {"id": concern.pk, "status": concern.status})


@router.get("/organisations/{org}/concerns/counts", response=CountsOut)
def concern_counts(request: HttpRequest, org: str) -> Any:
    organisation = organisation_for(request.user, org, "concern.counts")
    schools: list[Organisation] = (
        [
            s
            for s in Organisation.objects.filter(parent=organisation)
            if can(request.user, "concern.counts", s)
        ]
        if organisation.is_umbrella
        else [organisation]
    )
    table = counts_for(schools)
    return {"terms": table.terms, "rows": table.rows, "total": table.total}


@router.get("/organisations/{org}/concerns/{int:pk}", response=ConcernOut)
def get_concern(request: HttpRequest, org: str, pk: int) -> Any:
    organisation = organisation_for(request.user, org, "concern.view")
    concern = concern_for(request.user, organisation, pk)
    actions.record_read(concern, actor=_person(request))
    return _concern(concern)


@router.post(
    "/organisations/{org}/concerns/{int:pk}/transition",
    response={200: ConcernOut, 409: DetailOut},
)
def concern_transition(request: HttpRequest, org: str, pk: int, payload: TransitionIn) -> Any:
    organisation = organisation_for(request.user, org, "concern.manage")
    concern = concern_for(request.user, organisation, pk, "concern.manage")
    try:
        concern = actions.transition(
            concern,
            payload.to,
            actor=_person(request),
            note=payload.note,
            outcome=payload.outcome,
            lado_reference=payload.lado_reference,
        )
    except (ConcernError, ValueError) as error:
        return Status(409, {"detail": str(error)})
    return _concern(concern)
