"""Emails a job has claimed, sent once the claim has committed.

A reminder job claims each email by writing a row (unique, so two workers claim it once) and
its audit event in one transaction, and that transaction holds the audit chain's head. The
email is sent after commit (`transaction.on_commit`), never inside: an SMTP round trip takes
0.2-0.3 s, and every other writer would wait for it; and a relay that refuses would roll back
the record of what was due. When the send fails, `failed` runs in a transaction of its own,
to record that and release the claim so that the next run tries again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.core.mail import send_mail
from django.db import models, transaction

from boundaries.core import audit
from boundaries.core.models import Organisation

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Email:
    subject: str
    body: str
    to: str


def send_after_commit(email: Email, *, failed: Callable[[OSError], None]) -> None:
    """Send `email` when the current transaction commits (at once outside one)."""
    transaction.on_commit(partial(_send, email, failed))


def _send(email: Email, failed: Callable[[OSError], None]) -> None:
    try:
        send_mail(email.subject, email.body, None, [email.to])
    except OSError as error:  # smtplib's errors, refused and timed-out connections
        logger.warning("an email was not sent, to be tried again: %s", failure(error))
        with transaction.atomic():
            failed(error)


def failure(error: OSError) -> str:
    """How a failed send is written in an audit event: the kind of error and the relay's
    words, which name the recipient at most (already in the event)."""
    return f"{type(error).__name__}: {error}"[:500]


def release_on_failure(
    claim: models.Model,
    action: str,
    *,
    organisation: Organisation,
    obj: models.Model | None,
    after: dict[str, Any],
    now: dt.datetime,
    counted: Callable[[], None],
) -> Callable[[OSError], None]:
    """The `failed` of an email claimed by inserting `claim`: delete the claim, so the next
    run sends the email, with an audit event `action` saying what was not sent and why."""

    def release(error: OSError) -> None:
        claim.delete()
        audit.record(
            action,
            actor=None,
            organisation=organisation,
            obj=obj,
            after={**after, "error": failure(error)},
            now=now,
        )
        counted()

    return release
