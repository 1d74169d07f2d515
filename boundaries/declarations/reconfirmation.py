"""Once a year staff confirm that their declarations are still true: the due list, and the
reminders that a timer sends (`boundaries declarations remind`)."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from boundaries.core import audit
from boundaries.core.mail import Email, MailRun, failure, send_after_commit
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


def send_reconfirmation_reminders(today: dt.date, now: dt.datetime | None = None) -> MailRun:
    """One email per declaration and due date: `reminded_for` is claimed before the email
    goes, after commit (`boundaries.core.mail`); a failed send gives the claim back."""
    now = now or timezone.now()
    run = MailRun("Re-confirmation reminders", skipped_means="skipped")
    for declaration in due_for_reconfirmation(None, today):
        due = declaration.reconfirmation_due()
        user = declaration.declared_by or declaration.staff.user
        email = user.email if user else declaration.staff.work_email
        if not email:
            run.skipped += 1
            continue
        if _claim_and_send(declaration, due, email, now, run):
            run.sent += 1
        else:
            run.skipped += 1
    return run


def _claim_and_send(
    declaration: ConnectionDeclaration,
    due: dt.date,
    address: str,
    now: dt.datetime,
    run: MailRun,
) -> bool:
    with transaction.atomic():
        claimed = (
            ConnectionDeclaration.objects.filter(pk=declaration.pk)
            .exclude(reminded_for=due)
            .update(reminded_for=due)
        )
        if not claimed:
            return False
        url = settings.SITE_URL + reverse(
            "declarations:detail", args=[declaration.organisation.slug, declaration.pk]
        )
        body = render_to_string(
            "declarations/email/reconfirm.txt", {"d": declaration, "due": due, "url": url}
        )
        audit.record(
            "declarations.reconfirmation_reminded",
            actor=None,
            organisation=declaration.organisation,
            obj=declaration,
            after={"due": due},
            now=now,
        )
        send_after_commit(
            Email("Please re-confirm your declared connection", body, address),
            failed=partial(_give_back, declaration, due, declaration.reminded_for, now, run),
        )
    return True


def _give_back(
    declaration: ConnectionDeclaration,
    due: dt.date,
    before: dt.date | None,
    now: dt.datetime,
    run: MailRun,
    error: OSError,
) -> None:
    """The reminder was not sent: `reminded_for` goes back to what it was, so the next run
    sends it, unless something else has changed it meanwhile."""
    ConnectionDeclaration.objects.filter(pk=declaration.pk, reminded_for=due).update(
        reminded_for=before
    )
    audit.record(
        "declarations.reconfirmation_reminder_failed",
        actor=None,
        organisation=declaration.organisation,
        obj=declaration,
        after={"due": due, "error": failure(error)},
        now=now,
    )
    run.not_sent()
