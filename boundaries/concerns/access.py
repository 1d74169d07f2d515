"""Fetch concerns, pupil-contact reports and attachments for a person, or 404.

A concern is seen only by the DSL, the headteacher and HR. A pupil-contact report is seen
by the person who made it, their line manager, and the DSL and headteacher. An attachment
is seen by whoever may see the record it belongs to.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from boundaries.concerns.models import Attachment, Concern, PupilContactReport
from boundaries.core.access import can
from boundaries.core.models import Organisation, User

AnyUser = User | AnonymousUser


def concerns_visible(user: AnyUser, organisation: Organisation) -> QuerySet[Concern]:
    if not can(user, "concern.view", organisation):
        return Concern.objects.none()
    return Concern.objects.select_related("subject", "raised_by").filter(organisation=organisation)


def concern_for(
    user: AnyUser, organisation: Organisation, pk: int, action: str = "concern.view"
) -> Concern:
    concern = (
        Concern.objects.select_related("subject", "raised_by", "organisation")
        .filter(organisation=organisation, pk=pk)
        .first()
    )
    if concern is None or not can(user, "concern.view", organisation):
        raise Http404("No such concern")
    if not can(user, action, organisation):
        raise Http404("No such concern")
    return concern


def concerns_raised_by(user: AnyUser, organisation: Organisation) -> QuerySet[Concern]:
    """The person who raised a concern sees that it exists and its status, nothing more."""
    if not isinstance(user, User):
        return Concern.objects.none()
    return Concern.objects.filter(organisation=organisation, raised_by=user).only(
        "pk", "created_at", "status", "organisation_id"
    )


def concerns_about(user: AnyUser, organisation: Organisation) -> list[Concern]:
    """A member of staff sees closed concerns about them whose outcome they are told."""
    if not isinstance(user, User):
        return []
    rows = Concern.objects.filter(organisation=organisation, subject__user=user).only(
        "pk", "status", "outcome", "closed_at", "organisation_id"
    )
    return [c for c in rows if c.subject_is_told()]


def _contacts(organisation: Organisation) -> QuerySet[PupilContactReport]:
    return PupilContactReport.objects.select_related(
        "reporter", "reporter_staff__line_manager", "pupil", "closed_by", "organisation"
    ).filter(organisation=organisation)


def contacts_visible(user: AnyUser, organisation: Organisation) -> QuerySet[PupilContactReport]:
    """All for the DSL and headteacher; a line manager's own team's; otherwise none."""
    if not isinstance(user, User) or not can(user, "pupil_contact.list", organisation):
        return PupilContactReport.objects.none()
    rows = _contacts(organisation)
    if can(user, "pupil_contact.manage", organisation):
        return rows
    return rows.filter(reporter_staff__line_manager__user=user).exclude(reporter=user)


def own_contacts(user: AnyUser, organisation: Organisation) -> QuerySet[PupilContactReport]:
    if not isinstance(user, User):
        return PupilContactReport.objects.none()
    return _contacts(organisation).filter(reporter=user)


def _may_see_contact(user: AnyUser, report: PupilContactReport) -> bool:
    if not isinstance(user, User):
        return False
    organisation = report.organisation
    if report.reporter_id == user.pk or can(user, "pupil_contact.manage", organisation):
        return True
    manager = report.reporter_staff.line_manager if report.reporter_staff else None
    return (
        manager is not None
        and manager.user_id == user.pk
        and can(user, "pupil_contact.list", organisation)
    )


def contact_for(
    user: AnyUser, organisation: Organisation, pk: int, *, manage: bool = False
) -> PupilContactReport:
    report = _contacts(organisation).filter(pk=pk).first()
    if report is None or not _may_see_contact(user, report):
        raise Http404("No such report")
    if manage and not can(user, "pupil_contact.manage", organisation):
        raise Http404("No such report")
    return report


def attachment_for(user: AnyUser, organisation: Organisation, pk: int) -> Attachment:
    attachment = (
        Attachment.objects.select_related(
            "concern", "pupil_contact__reporter_staff__line_manager", "organisation"
        )
        .filter(organisation=organisation, pk=pk)
        .first()
    )
    if attachment is None:
        raise Http404("No such file")
    if attachment.concern is not None:
        allowed = can(user, "concern.view", organisation)
    elif attachment.pupil_contact is not None:
        allowed = _may_see_contact(user, attachment.pupil_contact)
    else:
        allowed = False
    if not allowed:
        raise Http404("No such file")
    return attachment
