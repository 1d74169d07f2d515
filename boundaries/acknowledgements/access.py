"""A person reaches their own staff record and assignments only; anything else is a 404."""

from __future__ import annotations

from django.http import Http404

from boundaries.acknowledgements.models import Assignment, Induction
from boundaries.core.models import Organisation, StaffRecord, User


def own_staff_record(user: User, organisation: Organisation) -> StaffRecord:
    """The signed-in person's staff record at this school (the newest, if re-employed)."""
    record = (
        StaffRecord.objects.filter(user=user, organisation=organisation)
        .order_by("leaving_date", "-pk")
        .first()
    )
    if record is None:
        raise Http404("You have no staff record at this school")
    return record


def own_assignment(user: User, organisation: Organisation, pk: int) -> Assignment:
    assignment = (
        Assignment.objects.select_related("version__policy", "staff")
        .filter(pk=pk, staff__user=user, staff__organisation=organisation)
        .first()
    )
    if assignment is None:
        raise Http404("No such assignment")
    return assignment


def induction_for(organisation: Organisation, pk: int) -> Induction:
    """For the headteacher's induction page; the view has checked the role."""
    induction = (
        Induction.objects.select_related("staff")
        .filter(pk=pk, staff__organisation=organisation)
        .first()
    )
    if induction is None:
        raise Http404("No such induction")
    return induction
