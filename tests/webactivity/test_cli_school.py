"""`boundaries weblogs analyse FILE --school S`: aggregates saved, audited, never raw lines."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from typer.testing import CliRunner

from boundaries.cli import app
from boundaries.core.models import AuditEvent
from boundaries.webactivity.models import AnalysisRun, DayFigure, SourceLog
from tests.webactivity.conftest import Staffroom
from tests.webactivity.logs import busy_day, last_monday, squid_line, write_log

SECRET_URL = "http://www.example.org/private-page-zq81"


def week_log(tmp_path: Path) -> Path:
    monday = last_monday()
    tuesday = monday + dt.timedelta(days=1)
    lines = busy_day(monday, "t.teacher", 20) + busy_day(monday, "c.colleague", 3)
    lines += [
        squid_line(tuesday, "12:30", "t.teacher", "www.instagram.com:443"),  # lunch: not counted
        squid_line(tuesday, "19:00", "t.teacher", "www.tiktok.com:443"),  # evening: not counted
        squid_line(monday, "11:00", "t.teacher", SECRET_URL),
        squid_line(monday, "11:05", "t.teacher", "www.tiktok.com:443", denied=True),
        squid_line(monday, "11:06", "nobody.known", "www.facebook.com:443"),
        "this line is not squid at all",
    ]
    return write_log(tmp_path / "proxy.log", lines)


def analyse(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["weblogs", "analyse", *args])


def _tables_containing(marker: str) -> list[str]:
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            if any(marker in str(row) for row in cursor.fetchall()):
                found.append(table)
    return found


def test_the_school_mode_saves_figures_per_person_and_working_day(
    staffroom: Staffroom, tmp_path: Path
) -> None:
    log = week_log(tmp_path)
    result = analyse(str(log), "--school", "rivington", "--as", "head")
    assert result.exit_code == 0, result.output
    assert "saved 3 person-day figures for rivington" in result.output
    mine = DayFigure.objects.get(staff=staffroom.teacher, date=last_monday())
    assert (mine.date, mine.social_minutes, mine.blocked_social_requests) == (
        last_monday(),
        20,
        1,
    )
    assert mine.platforms == {"Facebook": 20}
    assert DayFigure.objects.get(staff=staffroom.colleague).social_minutes == 3
    tuesday = DayFigure.objects.get(staff=staffroom.teacher, date=last_monday() + dt.timedelta(1))
    assert (tuesday.requests, tuesday.social_requests, tuesday.social_minutes) == (2, 0, 0)
    run = AnalysisRun.objects.get()
    assert (run.unparsed_lines, run.unmapped_identities) == (1, 1)
    source = SourceLog.objects.get()
    assert source.name == "proxy.log"
    assert source.sha256 == hashlib.sha256(log.read_bytes()).hexdigest()
    event = AuditEvent.objects.get(action="webactivity.analysed")
    assert event.actor == staffroom.cast.head
    assert event.after["files"] == [["proxy.log", source.sha256]]


def test_no_row_holds_a_log_lines_url_or_login_that_matched_nobody(
    staffroom: Staffroom, tmp_path: Path
) -> None:
    assert analyse(str(week_log(tmp_path)), "--school", "rivington").exit_code == 0
    assert _tables_containing("private-page-zq81") == []
    assert _tables_containing("nobody.known") == []


def test_analysing_the_same_file_again_replaces_and_never_duplicates(
    staffroom: Staffroom, tmp_path: Path
) -> None:
    log = week_log(tmp_path)
    for _ in range(2):
        assert analyse(str(log), "--school", "rivington").exit_code == 0
    assert DayFigure.objects.count() == 3
    assert AnalysisRun.objects.count() == 1
    assert SourceLog.objects.count() == 1
    second = AuditEvent.objects.filter(action="webactivity.analysed").last()
    assert second is not None and second.after["figures_replaced"] == 3


def test_another_schools_staff_never_get_this_schools_figures(
    staffroom: Staffroom, tmp_path: Path
) -> None:
    assert analyse(str(week_log(tmp_path)), "--school", "brookside").exit_code == 0
    # Brenda's login is "c.colleague" at Brookside: the Rivington log maps her, nobody else
    assert set(DayFigure.objects.values_list("staff__full_name", flat=True)) == {"Brenda Brookside"}


def test_a_bad_log_stores_nothing(staffroom: Staffroom, tmp_path: Path) -> None:
    binary = tmp_path / "blob.bin"
    binary.write_bytes(b"\x00\x01\x02garbage")
    result = analyse(str(binary), "--school", "rivington")
    assert result.exit_code != 0
    assert "not a text log" in str(result.exception)
    assert not AnalysisRun.objects.exists() and not DayFigure.objects.exists()


def test_an_unknown_school_is_one_line_and_exit_1(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    env["BOUNDARIES_DATA_DIR"] = str(tmp_path)
    run = [sys.executable, "-m", "boundaries.cli"]
    subprocess.run([*run, "migrate"], env=env, capture_output=True, check=True, timeout=300)
    log = write_log(tmp_path / "a.log", [squid_line(last_monday(), "09:00", "x", "a.com:443")])
    done = subprocess.run(
        [*run, "weblogs", "analyse", str(log), "--school", "nowhere"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.strip() == "error: no organisation with the slug 'nowhere'"


@pytest.mark.parametrize("flag", ["--calendar", "--identities"])
def test_the_no_database_mode_still_needs_its_files(tmp_path: Path, flag: str) -> None:
    log = write_log(tmp_path / "a.log", [squid_line(last_monday(), "09:00", "x", "a.com:443")])
    result = analyse(str(log), flag, str(tmp_path / "missing"))
    assert result.exit_code == 2


def test_purge_deletes_figures_past_each_schools_retention(
    staffroom: Staffroom, tmp_path: Path
) -> None:
    assert analyse(str(week_log(tmp_path)), "--school", "rivington").exit_code == 0
    later = last_monday() + dt.timedelta(days=181)
    kept = CliRunner().invoke(app, ["weblogs", "purge", "--today", str(later)])
    assert kept.exit_code == 0 and "rivington: 2 figures deleted" in kept.output  # Monday's two
    assert list(DayFigure.objects.values_list("date", flat=True)) == [
        last_monday() + dt.timedelta(days=1)
    ]
    event = AuditEvent.objects.get(action="webactivity.figures_expired")
    assert event.after["deleted"] == 2
    CliRunner().invoke(app, ["weblogs", "purge", "--today", str(later + dt.timedelta(days=1))])
    assert not DayFigure.objects.exists() and not AnalysisRun.objects.exists()


def test_purge_refuses_a_bad_date(staffroom: Staffroom) -> None:
    result = CliRunner().invoke(app, ["weblogs", "purge", "--today", "soon"])
    assert result.exit_code != 0 and "is not a date" in str(result.exception)


def test_a_file_that_matched_nobody_analysed_twice_is_one_run(
    staffroom: Staffroom, tmp_path: Path
) -> None:
    log = write_log(tmp_path / "x.log", busy_day(last_monday(), "visitor", 3))
    for _ in range(2):
        assert analyse(str(log), "--school", "rivington").exit_code == 0
    run = AnalysisRun.objects.get()
    assert (run.unmapped_lines, run.days.count()) == (4, 0)


@pytest.mark.parametrize("login", ["t.teacher", "T.Teacher@rivington.example"])
def test_a_login_is_the_work_email_or_its_local_part(
    staffroom: Staffroom, tmp_path: Path, login: str
) -> None:
    log = write_log(tmp_path / "x.log", busy_day(last_monday(), login, 2))
    assert analyse(str(log), "--school", "rivington").exit_code == 0
    assert DayFigure.objects.get().staff == staffroom.teacher


def test_a_local_part_two_staff_share_matches_neither(staffroom: Staffroom, tmp_path: Path) -> None:
    from boundaries.core.models import StaffRecord

    StaffRecord.objects.create(
        organisation=staffroom.cast.school,
        full_name="Tim Teacher",
        work_email="t.teacher@rivington-nursery.example",
    )
    log = write_log(tmp_path / "x.log", busy_day(last_monday(), "t.teacher", 2))
    assert analyse(str(log), "--school", "rivington").exit_code == 0
    assert not DayFigure.objects.exists()
    assert AnalysisRun.objects.get().unmapped_lines == 3
