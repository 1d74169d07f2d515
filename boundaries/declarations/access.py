"""Fetch declarations, vacancies and devices for a person, or 404.

A declaration is seen by the person who made it, by their line manager, and by those whose
role lets them see every declaration (the DSL and headteacher). No view queries these
models directly.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

from boundaries.core.access import can
from boundaries.core.models import Organisation, User
from boundaries.declarations.models import (
    ConnectionDeclaration,
    DeviceLoan,
    SchoolDevice,
    Vacancy,
)

AnyUser = User | AnonymousUser


def _declarations(organisation: Organisation) -> QuerySet[ConnectionDeclaration]:
    return ConnectionDeclaration.objects.select_related(
        "staff__line_manager__user", "staff__user", "pupil", "carer", "reviewed_by"
    ).filter(organisation=organisation)


def own_declarations(user: AnyUser, organisation: Organisation) -> QuerySet[ConnectionDeclaration]:
    if not isinstance(user, User) or not can(user, "declaration.create", organisation):
        return ConnectionDeclaration.objects.none()
    return _declarations(organisation).filter(Q(declared_by=user) | Q(staff__user=user))


def declarations_to_review(
    user: AnyUser, organisation: Organisation
) -> QuerySet[ConnectionDeclaration]:
    """Everyone's for the DSL and headteacher; their own team's for a line manager."""
    if not isinstance(user, User) or not can(user, "declaration.review_list", organisation):
        return ConnectionDeclaration.objects.none()
    rows = _declarations(organisation)
    if can(user, "declaration.view_all", organisation):
        return rows
    return rows.filter(staff__line_manager__user=user).exclude(declared_by=user)


def is_reviewer(user: AnyUser, declaration: ConnectionDeclaration) -> bool:
    if not isinstance(user, User) or declaration.declared_by_id == user.pk:
        return False
    organisation = declaration.organisation
    if can(user, "declaration.view_all", organisation):
        return True
    manager = declaration.staff.line_manager
    return (
        manager is not None
        and manager.user_id == user.pk
        and can(user, "declaration.review_list", organisation)
    )


def is_owner(user: AnyUser, declaration: ConnectionDeclaration) -> bool:
    return isinstance(user, User) and (
        declaration.declared_by_id == user.pk or declaration.staff.user_id == user.pk
    )


def declaration_for(
    user: AnyUser, organisation: Organisation, pk: int, *, purpose: str = "view"
) -> ConnectionDeclaration:
    """`purpose` is "view" (owner or reviewer), "own" (owner only) or "review"."""
    declaration = _declarations(organisation).filter(pk=pk).first()
    if declaration is None:
        raise Http404("No such declaration")
    allowed = {
        "view": is_owner(user, declaration) or is_reviewer(user, declaration),
        "own": is_owner(user, declaration),
        "review": is_reviewer(user, declaration),
    }[purpose]
    if not allowed:
        raise Http404("No such declaration")
    return declaration


def vacancy_for(user: AnyUser, organisation: Organisation, pk: int, action: str) -> Vacancy:
    vacancy = Vacancy.objects.filter(organisation=organisation, pk=pk).first()
    if vacancy is None or not can(user, action, organisation):
        raise Http404("No such vacancy")
    return vacancy


def device_for(user: AnyUser, organisation: Organisation, pk: int, action: str) -> SchoolDevice:
    device = SchoolDevice.objects.filter(organisation=organisation, pk=pk).first()
    if device is None or not can(user, action, organisation):
        raise Http404("No such device")
    return device


def loan_for(user: AnyUser, organisation: Organisation, pk: int, action: str) -> DeviceLoan:
    loan = (
        DeviceLoan.objects.select_related("device", "borrower")
        .filter(device__organisation=organisation, pk=pk)
        .first()
    )
    if loan is None or not can(user, action, organisation):
        raise Http404("No such loan")
    return loan
