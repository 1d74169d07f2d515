"""Regression tests for what the crash proof changed in imports: the faster writes keep
exactly what was written before, a lost database is one line, a no-op import writes
nothing, and a new school year is a few statements rather than one per pupil."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from boundaries.cli.errors import first_line
from boundaries.core.models import AuditEvent, Organisation
from boundaries.roster.actions import import_file
from boundaries.roster.csvfile import parse_date
from boundaries.roster.models import Pupil
from boundaries.roster.plans import ImportPlan
from tests.faults.roster_file import write_roster

NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def _strptime_only(value: str) -> dt.date | None:
    """parse_date as it was before its fast path: the reference it must agree with."""
    value = value.strip()
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d/%m/%y", "%d.%m.%Y", "%d %b %Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"{value!r} is not a date (use YYYY-MM-DD or DD/MM/YYYY)")


DATES = [
    *["2021-03-15", "15/03/2021", " 29/02/2024 ", "2024-02-29", "01/01/0001", "9999-12-31"],
    *["1/2/2020", "15-03-2021", "15/03/21", "15.03.2021", "15 Mar 2021", ""],
    *["2023-02-29", "31/02/2024", "2021-13-01", "32/01/2021", "00/01/2021", "2021-3-15"],
    *[
        "15/03/20211",
        "2021-03-15T10:00",
        "tomorrow",
        "\u0661\u0665/\u0660\u0663/\u0662\u0660\u0662\u0661",
    ],  # Arabic-Indic,
]


@pytest.mark.parametrize("value", DATES)
def test_dates_read_exactly_as_before_the_fast_path(value: str) -> None:
    try:
        expected: dt.date | str | None = _strptime_only(value)
    except ValueError as error:
        expected = str(error)
    try:
        got: dt.date | str | None = parse_date(value)
    except ValueError as error:
        got = str(error)
    assert got == expected


def _school() -> Organisation:
    return Organisation.objects.create(name="Pendle Vale Academy", slug="pendle", kind="school")


def _import(school: Organisation, text: str, *, today: dt.date = NOW.date()) -> ImportPlan:
    return import_file(
        school,
        "pupils",
        text.encode(),
        filename="roster.csv",
        dry_run=False,
        actor=None,
        today=today,
        now=NOW,
    )


@pytest.mark.django_db
def test_a_roster_without_optional_columns_stores_the_same_defaults_as_before() -> None:
    school = _school()
    _import(school, "mis_id,full_name\nP1,Ada Coldbeck\nP2,Bryn Eskdale\n")
    stored = list(
        Pupil.objects.order_by("mis_id").values_list(
            "mis_id", "full_name", "preferred_name", "date_of_birth", "year_group", "leaving_date"
        )
    )
    assert stored == [
        ("P1", "Ada Coldbeck", "", None, "", None),
        ("P2", "Bryn Eskdale", "", None, "", None),
    ]


@pytest.mark.django_db
def test_every_column_of_a_full_roster_is_stored(tmp_path: Path) -> None:
    school = _school()
    roster = tmp_path / "roster.csv"
    write_roster(roster, 300, seed=3)
    plan = _import(school, roster.read_text())
    assert len(plan.new) == 300
    lines = roster.read_text().splitlines()[1:]
    pupils = {p.mis_id: p for p in Pupil.objects.filter(organisation=school)}
    for line in lines:
        mis_id, first, last, preferred, born, year, _ = line.split(",")
        pupil = pupils[mis_id]
        assert pupil.full_name == f"{first} {last}"
        assert pupil.preferred_name == preferred
        assert pupil.date_of_birth == dt.datetime.strptime(born, "%d/%m/%Y").date()
        assert pupil.year_group == year
        assert pupil.leaving_date is None


def up_a_year(line: str) -> str | None:
    """September's export: Reception becomes Year 1 and so on; Year 13 have left."""
    cells = line.split(",")
    if cells[5] == "Year 13":
        return None
    cells[5] = "Year 1" if cells[5] == "Reception" else f"Year {int(cells[5].split()[1]) + 1}"
    return ",".join(cells)


@pytest.mark.django_db
def test_a_new_school_year_moves_every_pupil_in_a_few_statements(tmp_path: Path) -> None:
    school = _school()
    roster = tmp_path / "roster.csv"
    write_roster(roster, 1_400, seed=5)
    _import(school, roster.read_text())
    kept = [up_a_year(line) for line in roster.read_text().splitlines()[1:]]
    september = "\n".join([roster.read_text().splitlines()[0], *filter(None, kept)]) + "\n"
    with CaptureQueriesContext(connection) as queries:
        plan = _import(school, september, today=dt.date(2026, 9, 1))
    assert len(plan.changes) == 1_300 and len(plan.leavers) == 100
    updates = [q for q in queries.captured_queries if q["sql"].startswith('UPDATE "roster_pupil"')]
    assert len(updates) <= 14  # one per year group and one for the leavers, not 1,400
    assert Pupil.objects.filter(organisation=school, year_group="Year 1").count() == 100
    assert Pupil.objects.filter(leaving_date=dt.date(2026, 9, 1)).count() == 100


@pytest.mark.django_db
def test_an_import_that_changes_nothing_writes_no_event() -> None:
    school = _school()
    text = "mis_id,full_name\nP1,Ada Coldbeck\n"
    _import(school, text)
    again = _import(school, text)
    assert again.unchanged == 1 and not again.changes_anything
    assert AuditEvent.objects.filter(action="roster.pupils_imported").count() == 1


def test_a_driver_message_is_one_line() -> None:
    message = (
        "consuming input failed: server closed the connection unexpectedly\n"
        "\tThis probably means the server terminated abnormally\n"
        "\tbefore or while processing the request."
    )
    assert first_line(Exception(message)) == (
        "consuming input failed: server closed the connection unexpectedly"
    )
    assert first_line(Exception("")) == "Exception"


SCHOOL = ("--school", "pendle", "--yes")


def test_a_database_that_is_not_there_is_one_line_and_exit_1(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens on it
    roster = tmp_path / "roster.csv"
    write_roster(roster, 3, seed=1)
    result = subprocess.run(
        [sys.executable, "-m", "boundaries.cli", "import", "roster", str(roster), *SCHOOL],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/nowhere",
            "BOUNDARIES_DATA_DIR": str(tmp_path),
        },
        check=False,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("error: ") and "Connection refused" in result.stderr
