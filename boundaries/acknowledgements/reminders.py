"""Reminders to read, the line manager told after the due date, and the headteacher's
weekly digest. Run by `boundaries acknowledgements remind` from a timer.

Each email is claimed by inserting its row first (unique per assignment, stage and
recipient, or per school, week and recipient), so two workers send it once, and sent after
that claim commits (`boundaries.core.mail`); a send that fails releases its claim, so the
next run tries again. Nobody who has left is written to, and nobody is told about a leaver.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from boundaries.acknowledgements.models import (
    AcknowledgementSettings,
    Assignment,
    DigestSent,
    ReminderSent,
)
from boundaries.acknowledgements.scope import current_q, settings_for
from boundaries.acknowledgements.stats import people, rate_of
from boundaries.core.mail import Audit, Email, claim_and_send, failed_clause
from boundaries.core.models import Membership, Organisation, StaffRecord
from boundaries.core.roles import Role
from boundaries.policies.models import VersionStatus

MANAGER_STAGE = "overdue_manager"


def reminder_stage(assigned_on: dt.date, today: dt.date, every_days: int) -> str | None:
    """`reminder_1` after the first interval, `reminder_2` after the second, and so on."""
    n = (today - assigned_on).days // max(every_days, 1)
    return f"reminder_{n}" if n >= 1 else None


def email_of(staff: StaffRecord) -> str:
    return (staff.work_email or (staff.user.email if staff.user else "")).lower()


@dataclass
class RemindRun:
    """Counts of one run; an email whose send failed moves from its kind to `failed`."""

    reminders: int = 0
    managers: int = 0
    digests: int = 0
    skipped: int = 0
    failed: int = 0

    def not_sent(self, kind: str) -> None:
        setattr(self, kind, getattr(self, kind) - 1)
        self.failed += 1

    def line(self) -> str:
        return (
            f"Reading reminders: {self.reminders} to staff, {self.managers} to line managers, "
            f"{self.digests} weekly digests; {self.skipped} already sent before"
            f"{failed_clause(self.failed)}."
        )


def send_due(today: dt.date, now: dt.datetime | None = None) -> RemindRun:
    now = now or timezone.now()
    run = RemindRun()
    cache: dict[int, AcknowledgementSettings] = {}
    open_assignments = (
        Assignment.objects.filter(
            current_q(today, "staff__"),
            completed_at__isnull=True,
            version__status=VersionStatus.IN_FORCE,
        )
        .select_related("staff__user", "staff__line_manager__user", "version__policy__organisation")
        .order_by("pk")
    )
    for assignment in open_assignments.iterator(chunk_size=1000):
        organisation = assignment.version.policy.organisation
        if organisation.pk not in cache:
            cache[organisation.pk] = settings_for(organisation)
        every = cache[organisation.pk].reminder_every_days
        stage = reminder_stage(assignment.assigned_on, today, every)
        address = email_of(assignment.staff)
        if stage and address:
            sent = _claim_and_send(
                assignment,
                stage,
                address,
                "acknowledgements/email/reminder.txt",
                f"Please read: {assignment.version.title}",
                today,
                now,
                on_failure=partial(run.not_sent, "reminders"),
            )
            run.reminders += sent
            run.skipped += not sent
        manager = assignment.staff.line_manager
        if assignment.due_on < today and manager is not None and manager.is_current(today):
            address = email_of(manager)
            if address:
                sent = _claim_and_send(
                    assignment,
                    MANAGER_STAGE,
                    address,
                    "acknowledgements/email/manager.txt",
                    f"Overdue: {assignment.staff.full_name} has not read "
                    f"{assignment.version.title}",
                    today,
                    now,
                    on_failure=partial(run.not_sent, "managers"),
                )
                run.managers += sent
                run.skipped += not sent
    send_digests(today, now, run)
    return run


def _claim_and_send(
    assignment: Assignment,
    stage: str,
    address: str,
    template: str,
    subject: str,
    today: dt.date,
    now: dt.datetime,
    *,
    on_failure: Callable[[], None],
) -> bool:
    organisation = assignment.version.policy.organisation
    context = {
        "assignment": assignment,
        "organisation": organisation,
        "today": today,
        "overdue_days": (today - assignment.due_on).days,
        "url": settings.SITE_URL + reverse("acknowledgements:to_read", args=[organisation.slug]),
    }
    return claim_and_send(
        partial(
            ReminderSent.objects.create,
            assignment=assignment,
            stage=stage,
            recipient=address,
            sent_at=now,
        ),
        lambda: Email(subject, render_to_string(template, context), address),
        Audit(
            "acknowledgements.reminder_sent",
            "acknowledgements.reminder_failed",
            organisation,
            assignment,
            {"stage": stage, "recipient": address},
            now,
        ),
        counted=on_failure,
    )


def week_of(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=today.weekday())


def send_digests(today: dt.date, now: dt.datetime, run: RemindRun) -> None:
    """Once a week per school, to each headteacher: the rate, who is overdue, starters."""
    heads = (
        Membership.objects.filter(role=Role.HEADTEACHER, user__is_active=True)
        .exclude(user__email="")
        .select_related("organisation", "user")
        .order_by("organisation_id")
    )
    for membership in heads:
        organisation = membership.organisation
        if not Assignment.objects.filter(
            staff__organisation=organisation, version__status=VersionStatus.IN_FORCE
        ).exists():
            continue
        run.digests += _digest(organisation, membership.user.email.lower(), today, now, run)


def _digest(
    organisation: Organisation, address: str, today: dt.date, now: dt.datetime, run: RemindRun
) -> bool:
    rate = rate_of(organisation, today)
    overdue = [p for p in people(organisation, today) if p.overdue]
    context = {
        "organisation": organisation,
        "rate": rate,
        "overdue": overdue,
        "url": settings.SITE_URL + reverse("reports:acknowledgements", args=[organisation.slug]),
    }
    week = week_of(today)
    percent = rate.percent if rate.percent is not None else 0
    return claim_and_send(
        partial(
            DigestSent.objects.create,
            organisation=organisation,
            week_of=week,
            recipient=address,
            sent_at=now,
        ),
        lambda: Email(
            f"Weekly: {percent}% of staff have read the policies in force at {organisation.name}",
            render_to_string("acknowledgements/email/digest.txt", context),
            address,
        ),
        Audit(
            "acknowledgements.digest_sent",
            "acknowledgements.digest_failed",
            organisation,
            None,
            {"recipient": address, "week_of": week, "percent": rate.percent},
            now,
        ),
        counted=partial(run.not_sent, "digests"),
    )
