"""Review reminders: headteachers and the governors' contact hear before a review falls due,
and again when it is overdue, once per stage.

Run by `boundaries reminders` from a timer. Each email is claimed by inserting its
ReviewReminder row first (unique per version, stage, recipient and due date), so two
workers running at once send it once, and sent after that claim commits
(`boundaries.core.mail`); a send that fails releases its claim for the next run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from boundaries.core import audit
from boundaries.core.mail import Email, release_on_failure, send_after_commit
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


@dataclass
class ReminderRun:
    sent: int = 0
    skipped: int = 0
    failed: int = 0  # claimed, but the relay did not take it: tried again next run

    def not_sent(self) -> None:
        self.sent -= 1
        self.failed += 1

    def line(self) -> str:
        failed = f"; {self.failed} failed, tried again next run" if self.failed else ""
        return f"Review reminders: {self.sent} sent, {self.skipped} already sent before{failed}."


def send_review_reminders(today: dt.date, now: dt.datetime | None = None) -> ReminderRun:
    now = now or timezone.now()
    run = ReminderRun()
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
    run: ReminderRun,
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
    try:
        with transaction.atomic():
            claim = ReviewReminder.objects.create(
                version=version, stage=stage, recipient=address, due=due, sent_at=now
            )
            body = render_to_string("policies/email/review_reminder.txt", context)
            audit.record(
                "policy.review_reminder_sent",
                actor=None,
                organisation=organisation,
                obj=version,
                after={"stage": stage, "recipient": address, "due": due},
                now=now,
            )
            send_after_commit(
                Email(subject, body, address),
                failed=release_on_failure(
                    claim,
                    "policy.review_reminder_failed",
                    organisation=organisation,
                    obj=version,
                    after={"stage": stage, "recipient": address, "due": due},
                    now=now,
                    counted=run.not_sent,
                ),
            )
    except IntegrityError:
        return False
    return True
