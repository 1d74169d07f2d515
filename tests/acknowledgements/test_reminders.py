"""Reminders, the line manager after the due date, and the weekly digest, over real SMTP."""

from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner

from boundaries.acknowledgements import actions
from boundaries.acknowledgements.models import Assignment, ReminderSent
from boundaries.acknowledgements.reminders import send_due
from boundaries.cli import app
from boundaries.core.models import AuditEvent, StaffRecord
from tests.acknowledgements.helpers import TODAY, import_staff, policy_in_force, staff
from tests.cast import Cast


@pytest.mark.django_db(transaction=True)  # emails go after commit
def test_reminders_go_each_interval_once_until_done(cast: Cast, smtp_server) -> None:  # type: ignore[no-untyped-def]
    import_staff(cast)
    _, v1 = policy_in_force(cast)
    assert send_due(TODAY).reminders == 0
    first = send_due(TODAY + dt.timedelta(days=7))
    assert first.reminders == 4
    assert len(smtp_server.to("teacher@rivington.example")) == 1
    assert send_due(TODAY + dt.timedelta(days=8)).reminders == 0
    actions.acknowledge(Assignment.objects.get(staff=staff("S2"), version=v1), user=cast.teacher)
    second = send_due(TODAY + dt.timedelta(days=14))
    assert second.reminders == 3
    assert len(smtp_server.to("teacher@rivington.example")) == 1
    message = smtp_server.to("dsl@rivington.example")[-1]
    assert "Please read: Staff social media" in message["Subject"]
    assert AuditEvent.objects.filter(action="acknowledgements.reminder_sent").count() == 7


@pytest.mark.django_db(transaction=True)  # emails go after commit
def test_after_the_due_date_the_line_manager_is_told_once(cast: Cast, smtp_server) -> None:  # type: ignore[no-untyped-def]
    import_staff(cast)
    policy_in_force(cast)
    late = TODAY + dt.timedelta(days=15)
    run = send_due(late)
    assert run.managers == 3  # S2, S3 and S4 report to S1
    subjects = [m["Subject"] for m in smtp_server.to("head@rivington.example")]
    assert any("Overdue: Tess Teacher has not read" in s for s in subjects)
    assert send_due(late + dt.timedelta(days=1)).managers == 0


@pytest.mark.django_db(transaction=True)  # emails go after commit
def test_no_email_goes_to_a_leaver_or_about_one(cast: Cast, smtp_server) -> None:  # type: ignore[no-untyped-def]
    import_staff(cast)
    policy_in_force(cast)
    StaffRecord.objects.filter(mis_id="S2").update(leaving_date=TODAY + dt.timedelta(days=3))
    send_due(TODAY + dt.timedelta(days=20))
    assert smtp_server.to("teacher@rivington.example") == []
    assert not ReminderSent.objects.filter(assignment__staff__mis_id="S2").exists()


@pytest.mark.django_db(transaction=True)  # emails go after commit
def test_the_headteacher_gets_one_digest_a_week_from_the_cli(cast: Cast, smtp_server) -> None:  # type: ignore[no-untyped-def]
    import_staff(cast)
    policy_in_force(cast)
    runner = CliRunner()
    late = (TODAY + dt.timedelta(days=15)).isoformat()
    result = runner.invoke(app, ["acknowledgements", "remind", "--today", late])
    assert result.exit_code == 0, result.output
    assert "1 weekly digests" in result.output
    digest = [m for m in smtp_server.to("head@rivington.example") if "Weekly" in m["Subject"]]
    assert len(digest) == 1
    assert "Tess Teacher" in digest[0].get_payload()
    again = runner.invoke(app, ["acknowledgements", "remind", "--today", late])
    assert "0 weekly digests" in again.output
