"""Emails about pupil-contact reports and concerns. They carry no names and no content: only
that a record exists and a link to it, so a misdirected email discloses nothing."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from boundaries.concerns.models import Concern, PupilContactReport
from boundaries.core import mail
from boundaries.core.models import Membership
from boundaries.core.roles import Role


@dataclass(frozen=True)
class Recipients:
    managers: list[str]
    reporter: str


def recipients(report: PupilContactReport) -> Recipients:
    emails = set(
        Membership.objects.filter(
            organisation=report.organisation, role=Role.DSL, user__is_active=True
        ).values_list("user__email", flat=True)
    )
    staff = report.reporter_staff
    manager = staff.line_manager if staff else None
    if manager is not None:
        if manager.user is not None and manager.user.email:
            emails.add(manager.user.email)
        elif manager.work_email:
            emails.add(manager.work_email)
    reporter = report.reporter.email if report.reporter else ""
    emails.discard(reporter)
    return Recipients(sorted(e for e in emails if e), reporter)


def send_report_emails(report_pk: int) -> None:
    """Run after the report is committed, so no email names a report that was rolled back."""
    report = PupilContactReport.objects.select_related(
        "organisation", "reporter", "reporter_staff__line_manager__user"
    ).get(pk=report_pk)
    people = recipients(report)
    url = settings.SITE_URL + reverse(
        "concerns:contact", args=[report.organisation.slug, report.pk]
    )
    context = {"report": report, "organisation": report.organisation, "url": url}
    if people.managers:
        mail.send(
            f"A pupil contact was reported at {report.organisation.name}",
            render_to_string("concerns/email/contact_reported.txt", context),
            people.managers,
        )
    if people.reporter:
        mail.send(
            "We received your report of a pupil contacting you",
            render_to_string("concerns/email/contact_receipt.txt", context),
            [people.reporter],
        )


def concern_recipients(concern: Concern) -> list[str]:
    """The DSL and the headteacher, but never the person the concern is about."""
    rows = Membership.objects.filter(
        organisation=concern.organisation,
        role__in=[Role.DSL, Role.HEADTEACHER],
        user__is_active=True,
    )
    if concern.subject.user_id is not None:
        rows = rows.exclude(user_id=concern.subject.user_id)
    return sorted({e for e in rows.values_list("user__email", flat=True) if e})


def send_concern_raised(concern_pk: int) -> None:
    concern = Concern.objects.select_related("organisation", "subject").get(pk=concern_pk)
    to = concern_recipients(concern)
    if not to:
        return
    url = settings.SITE_URL + reverse(
        "concerns:detail", args=[concern.organisation.slug, concern.pk]
    )
    mail.send(
        f"A concern about a member of staff was raised at {concern.organisation.name}",
        render_to_string("concerns/email/concern_raised.txt", {"c": concern, "url": url}),
        to,
    )
