"""Reminder emails go after the transaction that claims them commits, over real SMTP: the
audit chain's head is free while the relay talks, and a refused email is recorded, leaves
the others alone, and is tried again by the next run."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import F

from boundaries.acknowledgements.reminders import send_due
from boundaries.core import audit
from boundaries.core.models import AuditEvent, AuditHead
from boundaries.declarations.actions import declare_connection
from boundaries.declarations.models import ConnectionDeclaration
from boundaries.declarations.reconfirmation import send_reconfirmation_reminders
from boundaries.policies.reminders import send_review_reminders
from tests.acknowledgements.helpers import TODAY, import_staff, policy_in_force
from tests.cast import Cast, policy_with_versions
from tests.declarations.school import make_school

pytestmark = pytest.mark.django_db(transaction=True)  # commits are what this is about


def reading_reminders(cast: Cast) -> Callable[[], Any]:
    import_staff(cast)
    policy_in_force(cast)
    return lambda: send_due(TODAY + dt.timedelta(days=7))


def review_reminders(cast: Cast) -> Callable[[], Any]:
    policy_with_versions(cast)  # review due 2026-11-20
    return lambda: send_review_reminders(dt.date(2026, 12, 1))


def reconfirmation_reminders(cast: Cast) -> Callable[[], Any]:
    school = make_school(cast)
    declaration = declare_connection(
        school.cast.school,
        actor=cast.teacher,
        counterpart_kind="parent_carer",
        relationship="prior_friendship",
        platforms=["Facebook"],
        counterpart_name="Invented Friend",
    )
    ConnectionDeclaration.objects.filter(pk=declaration.pk).update(
        last_confirmed_on=dt.date(2025, 11, 1)
    )
    return lambda: send_reconfirmation_reminders(dt.date(2026, 11, 2))


@dataclass(frozen=True)
class Job:
    set_up: Callable[[Cast], Callable[[], Any]]
    refused: str  # a recipient of one of its emails
    failed_action: str

    def __str__(self) -> str:
        return self.set_up.__name__


JOBS = [
    Job(reading_reminders, "teacher@rivington.example", "acknowledgements.reminder_failed"),
    Job(review_reminders, "governors@rivington.example", "policy.review_reminder_failed"),
    Job(
        reconfirmation_reminders,
        "teacher@rivington.example",
        "declarations.reconfirmation_reminder_failed",
    ),
]


def audit_head_is_free() -> bool:
    """Whether another connection can take the audit chain's head at once, as the next
    writer would (PostgreSQL: a row lock without waiting; SQLite: a write)."""
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                AuditHead.objects.select_for_update(nowait=True).get(pk=1)
            else:
                AuditHead.objects.filter(pk=1).update(last_seq=F("last_seq"))
        return True
    except DatabaseError:
        return False
    finally:
        connection.close()


def test_the_probe_sees_the_head_taken_inside_an_action(smtp_server: Any) -> None:
    """The check below would fail if an email were sent inside the transaction."""
    with transaction.atomic():
        audit.record("test.probe", actor=None)  # the chain's head exists
    with transaction.atomic():
        audit.record("test.probe", actor=None)
        with ThreadPoolExecutor(1) as pool:
            assert pool.submit(audit_head_is_free).result() is False
    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(audit_head_is_free).result() is True


@pytest.mark.parametrize("job", JOBS, ids=str)
def test_the_audit_chain_is_free_while_an_email_is_delivered(
    job: Job, cast: Cast, smtp_server: Any
) -> None:
    run = job.set_up(cast)
    smtp_server.while_delivering = audit_head_is_free
    assert run().failed == 0
    assert smtp_server.during and all(smtp_server.during), smtp_server.during


@pytest.mark.parametrize("job", JOBS, ids=str)
def test_a_refused_email_is_recorded_and_tried_again_the_next_run(
    job: Job, cast: Cast, smtp_server: Any
) -> None:
    run = job.set_up(cast)
    smtp_server.refuse = {job.refused}
    first = run()
    assert first.failed == 1
    assert "1 failed, tried again next run" in first.line()
    assert smtp_server.to(job.refused) == []
    others = len(smtp_server.messages)
    [event] = AuditEvent.objects.filter(action=job.failed_action)
    assert "SMTPRecipientsRefused" in event.after["error"]
    assert audit.verify().intact
    # The relay takes it now: the next run sends that one email, and nothing else again.
    smtp_server.refuse = set()
    again = run()
    assert again.failed == 0
    assert len(smtp_server.to(job.refused)) == 1
    assert len(smtp_server.messages) == others + 1
    assert run().failed == 0 and len(smtp_server.messages) == others + 1
