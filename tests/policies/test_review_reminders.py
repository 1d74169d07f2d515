from __future__ import annotations

import datetime as dt

import pytest

from boundaries.core.models import AuditEvent
from boundaries.policies.models import ReviewReminder
from boundaries.policies.reminders import DUE_SOON, OVERDUE, review_stage, send_review_reminders
from tests.cast import Cast, policy_with_versions


@pytest.mark.parametrize(
    ("today", "stage"),
    [
        (dt.date(2026, 10, 20), None),
        (dt.date(2026, 10, 21), DUE_SOON),
        (dt.date(2026, 11, 20), DUE_SOON),
        (dt.date(2026, 11, 21), OVERDUE),
    ],
)
def test_review_stage(today: dt.date, stage: str | None) -> None:
    assert review_stage(dt.date(2026, 11, 20), today, 30) == stage


@pytest.mark.django_db(transaction=True)  # emails go after commit
def test_head_and_governors_are_emailed_once_per_stage(cast: Cast, smtp_server) -> None:  # type: ignore[no-untyped-def]
    policy_with_versions(cast)  # ratified 2025-11-20: review due 2026-11-20
    assert send_review_reminders(dt.date(2026, 10, 1)).sent == 0
    first = send_review_reminders(dt.date(2026, 10, 25))
    assert first.sent == 2
    assert {m["To"] for m in smtp_server.messages} == {
        "head@rivington.example",
        "governors@rivington.example",
    }
    assert "20 November 2026" in smtp_server.messages[0]["Subject"]
    again = send_review_reminders(dt.date(2026, 11, 1))
    assert (again.sent, again.skipped) == (0, 2)
    late = send_review_reminders(dt.date(2026, 12, 1))
    assert late.sent == 2
    overdue = smtp_server.to("head@rivington.example")[-1]
    assert overdue["Subject"].startswith("Review overdue")
    body = overdue.get_payload(decode=True).decode()
    assert "11 days overdue" in body
    assert len(smtp_server.messages) == 4
    assert ReviewReminder.objects.count() == 4


@pytest.mark.django_db(transaction=True)  # emails go after commit
def test_a_failed_send_is_recorded_and_retried_next_run(cast: Cast, settings) -> None:  # type: ignore[no-untyped-def]
    policy_with_versions(cast)
    mailers = settings.MAILERS
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
        }
    }
    run = send_review_reminders(dt.date(2026, 12, 1))
    assert (run.sent, run.failed) == (0, 2)
    assert "0 sent, 0 already sent before; 2 failed, tried again next run" in run.line()
    assert ReviewReminder.objects.count() == 0  # the claims are given back
    assert AuditEvent.objects.filter(action="policy.review_reminder_failed").count() == 2
    settings.MAILERS = mailers
    assert send_review_reminders(dt.date(2026, 12, 1)).sent == 2
    assert ReviewReminder.objects.count() == 2
