from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from boundaries.concerns import actions
from boundaries.concerns.attachments import attach, check_file, path_of
from boundaries.concerns.models import Attachment, Concern
from boundaries.core import audit
from boundaries.core.models import AuditEvent, StaffRecord
from boundaries.declarations.actions import declare_connection
from boundaries.declarations.models import ConnectionDeclaration
from boundaries.scheduling.models import ScheduledRun
from tests.cast import Cast
from tests.declarations.school import School, make_school

TODAY = dt.date(2026, 11, 24)
LONG_AGO = dt.datetime(2014, 3, 1, 10, 0, tzinfo=dt.UTC)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


@pytest.fixture
def school(cast: Cast, settings: Any, tmp_path: Path) -> School:
    settings.MEDIA_ROOT = tmp_path
    return make_school(cast)


def closed_concern(school: School, kind: str, *, retain_until: dt.date | None = None) -> Concern:
    concern = actions.raise_concern(
        school.cast.school,
        actor=school.cast.teacher,
        subject=school.manager_record,
        summary="Old concern",
        detail="Details",
        now=LONG_AGO,
    )
    actions.transition(concern, kind, actor=school.cast.dsl, now=LONG_AGO)
    if kind == "allegation":
        actions.transition(
            concern, "referred", actor=school.cast.dsl, lado_reference="L1", now=LONG_AGO
        )
    actions.transition(concern, "closed", actor=school.cast.dsl, outcome="no_case", now=LONG_AGO)
    Concern.objects.filter(pk=concern.pk).update(retain_until=retain_until)
    return Concern.objects.get(pk=concern.pk)


def run(*args: str, capsys: pytest.CaptureFixture[str]) -> str:
    from boundaries.cli import app

    with pytest.raises(SystemExit) as done:
        app(["retention", "purge", "--today", TODAY.isoformat(), *args])
    assert done.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize(
    ("retain_until", "purged"),
    [
        (dt.date(2020, 1, 1), True),  # 10 years from the allegation is longer: gone in 2024
        (dt.date(2031, 5, 1), False),  # pension age is later: kept
        (None, False),  # no date recorded: kept and reported
    ],
)
def test_an_allegation_is_kept_10_years_or_until_pension_age_whichever_is_longer(
    school: School, retain_until: dt.date | None, purged: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    concern = closed_concern(school, "allegation", retain_until=retain_until)
    out = run(capsys=capsys)
    assert Concern.objects.filter(pk=concern.pk).exists() is not purged
    if retain_until is None:
        assert "kept until retain_until is recorded" in out


def test_a_low_level_concern_goes_six_years_after_the_person_leaves_with_a_tombstone(
    school: School, capsys: pytest.CaptureFixture[str], django_capture_on_commit_callbacks: Any
) -> None:
    concern = closed_concern(school, "low_level")
    attachment = attach(check_file("shot.png", PNG), actor=school.cast.dsl, concern=concern)
    stored = path_of(attachment)
    assert stored.exists()
    run(capsys=capsys)
    assert Concern.objects.filter(pk=concern.pk).exists()  # still employed
    StaffRecord.objects.filter(pk=school.manager_record.pk).update(
        leaving_date=dt.date(2019, 8, 31)
    )
    out = run("--dry-run", capsys=capsys)
    assert "1 records would be purged" in out
    assert Concern.objects.filter(pk=concern.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        run(capsys=capsys)
    assert not Concern.objects.filter(pk=concern.pk).exists()
    assert not Attachment.objects.exists() and not stored.exists()
    tombstone = AuditEvent.objects.get(action="retention.purged")
    assert tombstone.object_type == "concerns.concern" and tombstone.object_id == str(concern.pk)
    assert "Old concern" not in str(tombstone.after) and "Details" not in str(tombstone.after)
    assert audit.verify().intact


def test_a_declaration_goes_six_years_after_the_person_left(
    school: School, capsys: pytest.CaptureFixture[str]
) -> None:
    declaration = declare_connection(
        school.cast.school,
        actor=school.cast.teacher,
        counterpart_kind="parent_carer",
        relationship="relative",
        platforms=["Facebook"],
        counterpart_name="Invented Cousin",
    )
    StaffRecord.objects.filter(pk=school.teacher_record.pk).update(
        leaving_date=dt.date(2021, 7, 31)
    )
    run(capsys=capsys)
    assert ConnectionDeclaration.objects.filter(pk=declaration.pk).exists()
    StaffRecord.objects.filter(pk=school.teacher_record.pk).update(
        leaving_date=dt.date(2020, 7, 31)
    )
    run(capsys=capsys)
    assert not ConnectionDeclaration.objects.filter(pk=declaration.pk).exists()


@pytest.mark.django_db
def test_a_scheduled_run_goes_a_year_after_its_slot(capsys: pytest.CaptureFixture[str]) -> None:
    def ran(day: dt.date) -> ScheduledRun:
        slot = dt.datetime.combine(day, dt.time(3), tzinfo=dt.UTC)
        return ScheduledRun.objects.create(
            job="retention-purge",
            slot=slot,
            worker="host:1",
            started_at=slot,
            heartbeat_at=slot,
            outcome="done",
        )

    old, year_ago_tomorrow = ran(dt.date(2025, 11, 23)), ran(dt.date(2025, 11, 25))
    running_long_ago = ran(dt.date(2024, 1, 1))
    ScheduledRun.objects.filter(pk=running_long_ago.pk).update(outcome="running")
    run(capsys=capsys)
    kept = set(ScheduledRun.objects.values_list("pk", flat=True))
    assert kept == {year_ago_tomorrow.pk}
    assert old.pk not in kept and running_long_ago.pk not in kept
    tombstone = AuditEvent.objects.get(action="retention.purged", object_id=str(old.pk))
    assert tombstone.object_type == "scheduling.scheduledrun"
