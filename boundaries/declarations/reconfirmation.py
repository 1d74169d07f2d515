"""Once a year staff confirm that their declarations are still true: the due list, and the
reminders that a timer sends (`boundaries declarations remind`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from boundaries.core import audit
from boundaries.core.models import Organisation
from boundaries.declarations.models import ConnectionDeclaration, DeclarationStatus


def due_for_reconfirmation(
    organisation: Organisation | None, today: dt.date
) -> list[ConnectionDeclaration]:
    rows = ConnectionDeclaration.objects.select_related(
        "staff__user", "organisation", "declared_by"
    ).exclude(status=DeclarationStatus.ENDED)
    if organisation is not None:
        rows = rows.filter(organisation=organisation)
    return [d for d in rows if d.reconfirmation_overdue(today)]


@dataclass(frozen=True)
class ReminderRun:
    sent: int
    skipped: int


def send_reconfirmation_reminders(today: dt.date, now: dt.datetime | None = None) -> ReminderRun:
    """One email per declaration and due date; the row is claimed before the email goes."""
    now = now or timezone.now()
    sent = skipped = 0
    for declaration in due_for_reconfirmation(None, today):
        due = declaration.reconfirmation_due()
        user = declaration.declared_by or declaration.staff.user
        email = user.email if user else declaration.staff.work_email
        if not email:
            skipped += 1
            continue
        with transaction.atomic():
            claimed = (
                ConnectionDeclaration.objects.filter(pk=declaration.pk)
                .exclude(reminded_for=due)
                .update(reminded_for=due)
            )
            if not claimed:
                skipped += 1
                continue
            audit.record(
                "declarations.reconfirmation_reminded",
                actor=None,
                organisation=declaration.organisation,
                obj=declaration,
                after={"due": due},
                now=now,
            )
            url = settings.SITE_URL + reverse(
                "declarations:detail", args=[declaration.organisation.slug, declaration.pk]
            )
            send_mail(
                "Please re-confirm your declared connection",
                render_to_string(
                    "declarations/email/reconfirm.txt",
                    {"d": declaration, "due": due, "url": url},
                ),
                None,
                [email],
            )
        sent += 1
    return ReminderRun(sent, skipped)
