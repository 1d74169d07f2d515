"""Review reminders: headteachers and the governors' contact hear before a review falls due,
and again when it is overdue, once per stage.

Run by `boundaries reminders` from a timer. Each email is claimed by inserting its
ReviewReminder row first (unique per version, stage, recipient and due date), so two
workers running at once send it once, and sent after that claim commits
(`boundaries.core.mail`); a send that fails releases its claim for the next run.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from boundaries.core.mail import Audit, Email, MailRun, claim_and_send
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


def send_review_reminders(today: dt.date, now: dt.datetime | None = None) -> MailRun:
    now = now or timezone.now()
    run = MailRun("Review reminders")
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
            if _send_one(version, stage, email, due, today, now, run):
                run.sent += 1
            else:
                run.skipped += 1
    return run


def _send_one(
    version: PolicyVersion,
    stage: str,
    address: str,
    due: dt.date,
    today: dt.date,
    now: dt.datetime,
    run: MailRun,
) -> bool:
    organisation = version.policy.organisation
    context = {
        "version": version,
        "organisation": organisation,
        "due": due,
        "overdue": stage == OVERDUE,
        "days": abs((due - today).days),
        "url": settings.SITE_URL
        + reverse("policies:policy", args=[organisation.slug, version.policy_id]),
    }
    subject = (
        f"Review overdue: {version.policy.title}"
        if stage == OVERDUE
        else f"Review due on {due:%-d %B %Y}: {version.policy.title}"
    )
    return claim_and_send(
        partial(
            ReviewReminder.objects.create,
            version=version,
            stage=stage,
            recipient=address,
            due=due,
            sent_at=now,
        ),
        lambda: Email(
            subject, render_to_string("policies/email/review_reminder.txt", context), address
        ),
        Audit(
            "policy.review_reminder_sent",
            "policy.review_reminder_failed",
            organisation,
            version,
            {"stage": stage, "recipient": address, "due": due},
            now,
        ),
        counted=run.not_sent,
    )
