"""Review reminders: headteachers and the governors' contact hear before a review falls due,
and again when it is overdue, once per stage.

Run by `boundaries reminders` from a timer. Each email is claimed by inserting its
ReviewReminder row first (unique per version, stage, recipient and due date), so two
workers running at once send it once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from boundaries.core import audit
from boundaries.core.models import Membership
from boundaries.core.roles import Role
from boundaries.policies.models import PolicyVersion, ReviewReminder, VersionStatus

DUE_SOON = "due_soon"
OVERDUE = "overdue"


def review_stage(due: dt.date, today: dt.date, days_before: int) -> str | None:
    if due < today:
        return OVERDUE
    if (due - today).days <= days_before:
        return DUE_SOON
    return None


def recipients(version: PolicyVersion) -> list[str]:
    organisation = version.policy.organisation
    role = Role.AUTHORITY_ADMIN if version.policy.is_model else Role.HEADTEACHER
    emails = {
        email.lower()
        for email in Membership.objects.filter(
            organisation=organisation, role=role, user__is_active=True
        ).values_list("user__email", flat=True)
        if email
    }
    if organisation.governors_contact_email and not version.policy.is_model:
        emails.add(organisation.governors_contact_email.lower())
    return sorted(emails)


@dataclass(frozen=True)
class ReminderRun:
    sent: int
    skipped: int


def send_review_reminders(today: dt.date, now: dt.datetime | None = None) -> ReminderRun:
    now = now or timezone.now()
    sent = skipped = 0
    versions = PolicyVersion.objects.filter(status=VersionStatus.IN_FORCE).select_related(
        "policy__organisation"
    )
    for version in versions:
        due = version.review_due()
        if due is None:
            continue
        stage = review_stage(due, today, settings.REVIEW_REMINDER_DAYS)
        if stage is None:
            continue
        for email in recipients(version):
            if _send_one(version, stage, email, due, today, now):
                sent += 1
            else:
                skipped += 1
    return ReminderRun(sent, skipped)


def _send_one(
    version: PolicyVersion, stage: str, email: str, due: dt.date, today: dt.date, now: dt.datetime
) -> bool:
    context = {
        "version": version,
        "organisation": version.policy.organisation,
        "due": due,
        "overdue": stage == OVERDUE,
        "days": abs((due - today).days),
        "url": settings.SITE_URL
        + reverse("policies:policy", args=[version.policy.organisation.slug, version.policy_id]),
    }
    subject = (
        f"Review overdue: {version.policy.title}"
        if stage == OVERDUE
        else f"Review due on {due:%-d %B %Y}: {version.policy.title}"
    )
    try:
        with transaction.atomic():
            ReviewReminder.objects.create(
                version=version, stage=stage, recipient=email, due=due, sent_at=now
            )
            audit.record(
                "policy.review_reminder_sent",
                actor=None,
                organisation=version.policy.organisation,
                obj=version,
                after={"stage": stage, "recipient": email, "due": due},
                now=now,
            )
            send_mail(
                subject,
                render_to_string("policies/email/review_reminder.txt", context),
                None,
                [email],
            )
    except IntegrityError:
        return False
    return True
