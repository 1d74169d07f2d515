"""Emails a job has claimed, sent once the claim has committed.

A reminder job claims each email by writing a row (unique, so two workers claim it once) and
its audit event in one transaction, and that transaction holds the audit chain's head. The
email is sent after commit (`transaction.on_commit`), never inside: an SMTP round trip takes
0.2-0.3 s, and every other writer would wait for it; and a relay that refuses would roll back
the record of what was due. When the send fails, `failed` runs in a transaction of its own,
to record that and give the claim back, so that the next run tries again.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction

from boundaries.core import audit
from boundaries.core.models import Organisation

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Email:
    subject: str
    body: str
    to: str


@dataclass
class MailRun:
    """What one run of a reminder job did: emails sent, skipped (already sent before, or
    nobody to send to) and failed (claimed, but the relay did not take it: tried again by
    the next run)."""

    title: str
    skipped_means: str = "already sent before"
    sent: int = 0
    skipped: int = 0
    failed: int = 0

    def not_sent(self) -> None:
        self.sent -= 1
        self.failed += 1

    def line(self) -> str:
        return (
            f"{self.title}: {self.sent} sent, {self.skipped} {self.skipped_means}"
            f"{failed_clause(self.failed)}."
        )


def failed_clause(failed: int) -> str:
    return f"; {failed} failed, tried again next run" if failed else ""


_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    """`text` fit for a header: each line break or control character a space. A school's,
    a person's or a policy's name with a line break could otherwise end the subject; Django
    refuses such a header outright, which would stop every email after it in the run."""
    return " ".join(_BREAKS.sub(" ", text).split())


def send(subject: str, body: str, to: list[str]) -> None:
    """Every email the application writes goes through here, its subject on one line."""
    send_mail(one_line(subject), body, None, to)


def send_after_commit(email: Email, *, failed: Callable[[OSError], None]) -> None:
    """Send `email` when the current transaction commits (at once outside one)."""
    transaction.on_commit(partial(_send, email, failed))


def _send(email: Email, failed: Callable[[OSError], None]) -> None:
    try:
        send(email.subject, email.body, [email.to])
    except OSError as error:  # smtplib's errors, refused and timed-out connections
        logger.warning("an email was not sent, to be tried again: %s", failure(error))
        with transaction.atomic():
            failed(error)


def failure(error: OSError) -> str:
    """How a failed send is written in an audit event: the kind of error and the relay's
    words, which name the recipient at most (already in the event)."""
    return f"{type(error).__name__}: {error}"[:500]


@dataclass(frozen=True)
class Audit:
    """The audit events of a claimed email: `sent` when it is claimed, `failed` (with the
    error added to `after`) when the relay does not take it."""

    sent: str
    failed: str
    organisation: Organisation
    obj: models.Model | None
    after: dict[str, Any]
    now: dt.datetime


def claim_and_send(
    claim: Callable[[], models.Model],
    email: Callable[[], Email],
    events: Audit,
    *,
    counted: Callable[[], None],
) -> bool:
    """Claim an email by inserting its row (`claim`), record `events.sent` in the same
    transaction and send the email after commit; False when it was claimed before. The
    email is built once claimed and before the audit head is taken. When the send fails,
    the row is deleted, `events.failed` recorded and `counted` called."""
    try:
        with transaction.atomic():
            row = claim()
            message = email()
            _record(events.sent, events, events.after)
            send_after_commit(message, failed=partial(_give_back, row, events, counted))
    except IntegrityError:
        return False
    return True


def _give_back(
    row: models.Model, events: Audit, counted: Callable[[], None], error: OSError
) -> None:
    row.delete()
    _record(events.failed, events, {**events.after, "error": failure(error)})
    counted()


def _record(action: str, events: Audit, after: dict[str, Any]) -> None:
    audit.record(
        action,
        actor=None,
        organisation=events.organisation,
        obj=events.obj,
        after=after,
        now=events.now,
    )
