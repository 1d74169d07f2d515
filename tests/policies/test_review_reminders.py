from __future__ import annotations

import datetime as dt

import pytest

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


def test_a_failed_send_is_retried_next_run(cast: Cast, settings) -> None:  # type: ignore[no-untyped-def]
    policy_with_versions(cast)
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
        }
    }
    with pytest.raises(ConnectionRefusedError):
        send_review_reminders(dt.date(2026, 12, 1))
    assert ReviewReminder.objects.count() == 0
