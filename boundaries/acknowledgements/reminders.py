"""Reminders to read, the line manager told after the due date, and the headteacher's
weekly digest. Run by `boundaries acknowledgements remind` from a timer.

Each email is claimed by inserting its row first (unique per assignment, stage and
recipient, or per school, week and recipient), so two workers send it once. Nobody who
has left is written to, and nobody is told about a leaver.
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

from boundaries.acknowledgements.models import (
    AcknowledgementSettings,
    Assignment,
    DigestSent,
    ReminderSent,
)
from boundaries.acknowledgements.scope import current_q, settings_for
from boundaries.acknowledgements.stats import people, rate_of
from boundaries.core import audit
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
    reminders: int = 0
    managers: int = 0
    digests: int = 0
    skipped: int = 0


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
                )
                run.managers += sent
                run.skipped += not sent
    run.digests = send_digests(today, now)
    return run


def _claim_and_send(
    assignment: Assignment,
    stage: str,
    address: str,
    template: str,
    subject: str,
    today: dt.date,
    now: dt.datetime,
) -> bool:
    organisation = assignment.version.policy.organisation
    context = {
        "assignment": assignment,
        "organisation": organisation,
        "today": today,
        "overdue_days": (today - assignment.due_on).days,
        "url": settings.SITE_URL + reverse("acknowledgements:to_read", args=[organisation.slug]),
    }
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                assignment=assignment, stage=stage, recipient=address, sent_at=now
            )
            audit.record(
                "acknowledgements.reminder_sent",
                actor=None,
                organisation=organisation,
                obj=assignment,
                after={"stage": stage, "recipient": address},
                now=now,
            )
            send_mail(subject, render_to_string(template, context), None, [address])
    except IntegrityError:
        return False
    return True


def week_of(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=today.weekday())


def send_digests(today: dt.date, now: dt.datetime) -> int:
    """Once a week per school, to each headteacher: the rate, who is overdue, starters."""
    sent = 0
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
        sent += _digest(organisation, membership.user.email.lower(), today, now)
    return sent


def _digest(organisation: Organisation, address: str, today: dt.date, now: dt.datetime) -> bool:
    rate = rate_of(organisation, today)
    overdue = [p for p in people(organisation, today) if p.overdue]
    context = {
        "organisation": organisation,
        "rate": rate,
        "overdue": overdue,
        "url": settings.SITE_URL + reverse("reports:acknowledgements", args=[organisation.slug]),
    }
    try:
        with transaction.atomic():
            DigestSent.objects.create(
                organisation=organisation, week_of=week_of(today), recipient=address, sent_at=now
            )
            audit.record(
                "acknowledgements.digest_sent",
                actor=None,
                organisation=organisation,
                after={"recipient": address, "week_of": week_of(today), "percent": rate.percent},
                now=now,
            )
            send_mail(
                f"Weekly: {rate.percent if rate.percent is not None else 0}% of staff have read "
                f"the policies in force at {organisation.name}",
                render_to_string("acknowledgements/email/digest.txt", context),
                None,
                [address],
            )
    except IntegrityError:
        return False
    return True
