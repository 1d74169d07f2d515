"""The transparency notice and DPIA from the school's settings; the 4.1(i) control status."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from boundaries.core.models import WorkingCalendar
from boundaries.policies.controls import control_status
from boundaries.webactivity import actions
from boundaries.webactivity.documents import DOCUMENTS, notice_context, render_markdown
from boundaries.webactivity.models import AnalysisRun
from tests.cast import PASSWORD
from tests.webactivity.conftest import Staffroom

DOCS = Path(__file__).resolve().parents[2] / "docs"
REGENERATE = (
    '.venv/bin/python -c "from boundaries.cli import django_setup; django_setup(); '
    'from boundaries.webactivity.documents import write_docs; write_docs()"'
)


@pytest.mark.django_db
@pytest.mark.parametrize("name", DOCUMENTS)
def test_the_docs_are_what_the_generator_writes_for_a_new_school(name: str) -> None:
    expected = render_markdown(name, notice_context(None, today=None))
    assert (DOCS / f"{name}.md").read_text(encoding="utf-8") == expected, (
        f"docs/{name}.md is out of date: regenerate it with {REGENERATE}"
    )


def test_the_notice_page_uses_the_schools_hours_threshold_and_retention(
    staffroom: Staffroom, client: Client
) -> None:
    WorkingCalendar.objects.create(
        organisation=staffroom.cast.school,
        start=dt.time(8, 45),
        end=dt.time(16, 0),
        breaks=[["10:30", "10:45"], ["12:15", "13:00"]],
    )
    actions.save_settings(
        staffroom.cast.school,
        threshold_minutes=25,
        retention_days=120,
        match_email_logins=False,
        actor=staffroom.cast.head,
    )
    assert client.login(username="teacher", password=PASSWORD)
    page = client.get("/o/rivington/web-activity/notice/")
    assert "from 08:45 to 16:00, except breaks (10:30 to 10:45, 12:15 to 13:00)" in page.text
    assert "threshold of 25 minutes" in page.text
    assert "deleted 120 days after" in page.text
    assert "before the @" not in page.text
    assert '<h1 class="govuk-heading-l">How Rivington Foundation Primary School' in page.text
    download = client.get("/o/rivington/web-activity/notice/?download=md")
    assert download["Content-Type"].startswith("text/markdown")
    assert "rivington-transparency-notice.md" in download["Content-Disposition"]
    assert download.content.decode().startswith("# How Rivington Foundation Primary School")


def test_the_dpia_is_for_the_head_and_hr_only(staffroom: Staffroom, client: Client) -> None:
    assert client.login(username="teacher", password=PASSWORD)
    assert client.get("/o/rivington/web-activity/dpia/").status_code == 404
    client.logout()
    assert client.login(username="head", password=PASSWORD)
    page = client.get("/o/rivington/web-activity/dpia/")
    assert '<table class="govuk-table">' in page.text and "15 minutes a day" in page.text


def _run(staffroom: Staffroom, created: dt.datetime) -> None:
    AnalysisRun.objects.create(
        organisation=staffroom.cast.school,
        created_at=created,
        engine_version="x",
        rules_fingerprint="y",
        format="squid",
    )


@pytest.mark.parametrize(
    ("age_days", "state", "words"),
    [
        (None, "attention", "No web-filter logs"),
        (3, "ok", "Last analysis"),
        (31, "attention", "No analysis in the last 30 days"),
    ],
)
def test_the_control_status_follows_the_last_analysis(
    staffroom: Staffroom, age_days: int | None, state: str, words: str
) -> None:
    now = timezone.now()
    if age_days is not None:
        _run(staffroom, now - dt.timedelta(days=age_days))
    status = control_status("working_hours_report", staffroom.cast.school, now.date())
    assert status.state == state and words in status.summary
