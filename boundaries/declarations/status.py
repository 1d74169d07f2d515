"""Live status of the declaration, recruitment and device controls on the clause page.
Counts only: the clause-by-clause page is seen by people who may not see the records."""

from __future__ import annotations

import datetime as dt

from boundaries.core.models import Organisation
from boundaries.declarations.models import (
    ConnectionDeclaration,
    DeclarationStatus,
    DeviceLoan,
    RecruitmentAttestation,
    SchoolDevice,
    Vacancy,
)
from boundaries.declarations.reconfirmation import due_for_reconfirmation
from boundaries.policies.controls import ControlStatus, provides_status

REVIEW_WITHIN_DAYS = 14


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@provides_status("connection_declarations")
def declarations_status(organisation: Organisation, today: dt.date) -> ControlStatus:
    active = ConnectionDeclaration.objects.filter(organisation=organisation).exclude(
        status=DeclarationStatus.ENDED
    )
    waiting = active.filter(status=DeclarationStatus.AWAITING_REVIEW)
    late = [
        d
        for d in waiting
        if d.acknowledged_at and (today - d.acknowledged_at.date()).days > REVIEW_WITHIN_DAYS
    ]
    due = due_for_reconfirmation(organisation, today)
    summary = (
        f"{_plural(active.count(), 'active declaration')}; {waiting.count()} awaiting review"
        f" ({len(late)} for more than {REVIEW_WITHIN_DAYS} days); "
        f"{len(due)} due for yearly re-confirmation."
    )
    return ControlStatus("attention" if late or due else "ok", summary)


@provides_status("recruitment_attestation")
def recruitment_status(organisation: Organisation, today: dt.date) -> ControlStatus:
    vacancies = Vacancy.objects.filter(organisation=organisation)
    if not vacancies.exists():
        return ControlStatus("not_measured", "No vacancies recorded yet.")
    attested = set(
        RecruitmentAttestation.objects.filter(vacancy__in=vacancies).values_list(
            "vacancy_id", flat=True
        )
    )
    missing = [
        v
        for v in vacancies
        if v.pk not in attested and v.closing_date is not None and v.closing_date < today
    ]
    summary = (
        f"{len(attested)} of {_plural(vacancies.count(), 'vacancy')} with the panel's "
        f"attestation; {len(missing)} closed without one."
    ).replace("vacancys", "vacancies")
    return ControlStatus("attention" if missing else "ok", summary)


@provides_status("school_devices")
def devices_status(organisation: Organisation, today: dt.date) -> ControlStatus:
    devices = SchoolDevice.objects.filter(organisation=organisation, retired_on__isnull=True)
    if not devices.exists():
        return ControlStatus("not_measured", "No school devices registered yet.")
    loans = DeviceLoan.objects.filter(device__organisation=organisation)
    overdue = [loan for loan in loans if loan.is_overdue(today)]
    unwiped = [loan for loan in loans if loan.needs_wipe()]
    summary = (
        f"{_plural(devices.count(), 'device')} registered; {len(overdue)} overdue; "
        f"{len(unwiped)} returned but not recorded as wiped."
    )
    return ControlStatus("attention" if overdue or unwiped else "ok", summary)
