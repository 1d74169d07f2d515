"""The school and authority dashboards, their CSVs, the handbook and the governors' report."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from boundaries.acknowledgements import actions
from boundaries.acknowledgements.models import Assignment
from boundaries.acknowledgements.stats import people, rate_of, school_rate
from boundaries.core import actions as core_actions
from boundaries.core import figures_cache
from boundaries.core.roles import OrganisationKind
from boundaries.reports.governors import shown
from boundaries.roster.actions import import_file
from tests.acknowledgements.helpers import (
    TODAY,
    import_staff,
    policy_in_force,
    signed_in,
    staff,
)
from tests.cast import Cast


@pytest.fixture
def reading(cast: Cast) -> Cast:
    import_staff(cast)
    _, v1 = policy_in_force(cast)
    actions.acknowledge(Assignment.objects.get(staff=staff("S2"), version=v1), user=cast.teacher)
    return cast


def test_the_headteacher_sees_the_percentage_chart_table_and_names(reading: Cast) -> None:
    page = signed_in("head").get("/o/rivington/reports/acknowledgements/").content.decode()
    assert 'id="overall-percent">25%' in page
    assert "<svg" in page and "By team" in page
    assert "Hannah Head" in page or "Dan Safe" in page


def test_a_governor_sees_counts_not_names(reading: Cast) -> None:
    client = signed_in("governor")
    page = client.get("/o/rivington/reports/acknowledgements/").content.decode()
    assert 'id="overall-percent">25%' in page
    for name in ("Hannah Head", "Dan Safe", "Ollie Office", "Tess Teacher"):
        assert name not in page
    csv = client.get("/o/rivington/reports/acknowledgements.csv").content.decode()
    assert "Tess" not in csv and "KS2" in csv
    report = client.get("/o/rivington/reports/governors/").content.decode()
    assert "fewer than 5" in report
    assert "Tess" not in report
    assert client.get("/o/rivington/reports/staff-handbook.pdf").status_code == 404


def test_a_teacher_and_another_school_see_no_dashboard(reading: Cast) -> None:
    assert signed_in("teacher").get("/o/rivington/reports/acknowledgements/").status_code == 404
    assert signed_in("otherhead").get("/o/rivington/reports/acknowledgements/").status_code == 404


def test_the_headteachers_csv_names_each_person(reading: Cast) -> None:
    csv = signed_in("head").get("/o/rivington/reports/acknowledgements.csv").content.decode()
    assert "Tess Teacher,KS2,Class teacher,1,0,0" in csv


@pytest.mark.parametrize(
    ("count", "text"),
    [(0, "0"), (1, "fewer than 5"), (4, "fewer than 5"), (5, "5"), (None, "Not measured")],
)
def test_small_numbers_are_hidden(count: int | None, text: str) -> None:
    assert shown(count) == text


def test_the_authority_sees_every_school_sorted_with_totals_and_no_names(reading: Cast) -> None:
    client = signed_in("admin")
    page = client.get("/o/testshire/reports/schools/?sort=percent&dir=desc").content.decode()
    assert "Rivington Foundation Primary School" in page and "Brookside Primary" in page
    assert page.index("Rivington") < page.index("Brookside")
    assert "Tess" not in page
    csv = client.get("/o/testshire/reports/schools.csv").content.decode()
    assert "Total,4,1,25,3,0,0" in csv  # brought into force in January: overdue now
    assert signed_in("head").get("/o/testshire/reports/schools/").status_code == 404


def test_the_authority_dashboard_queries_do_not_grow_with_schools(reading: Cast) -> None:
    client = signed_in("admin")
    client.get("/o/testshire/reports/schools/")
    with CaptureQueriesContext(connection) as few:
        client.get("/o/testshire/reports/schools/")
    for i in range(5):
        school = core_actions.create_organisation(
            name=f"School {i}",
            slug=f"school-{i}",
            kind=OrganisationKind.SCHOOL,
            parent=reading.authority,
            actor=None,
        )
        rows = "mis_id,full_name\n" + "".join(f"X{j},Person {j}\n" for j in range(20))
        import_file(school, "staff", rows.encode(), filename="s.csv", dry_run=False, actor=None)
    with CaptureQueriesContext(connection) as many:
        client.get("/o/testshire/reports/schools/")
    assert len(many) == len(few)


def _forty_more_staff(cast: Cast) -> None:
    rows = "mis_id,full_name,team\n" + "".join(f"Y{j},Person {j},Team {j % 4}\n" for j in range(40))
    import_file(
        cast.school, "staff", rows.encode(), filename="s.csv", dry_run=False, actor=None, full=False
    )


def test_the_school_dashboard_queries_do_not_grow_with_staff(reading: Cast) -> None:
    client = signed_in("head")
    client.get("/o/rivington/reports/acknowledgements/")
    figures_cache.clear()
    with CaptureQueriesContext(connection) as few:
        client.get("/o/rivington/reports/acknowledgements/")
    _forty_more_staff(reading)
    with CaptureQueriesContext(connection) as many:
        client.get("/o/rivington/reports/acknowledgements/")
    assert len(many) == len(few)


def test_a_second_look_at_the_dashboard_costs_two_queries_and_shows_the_same(
    reading: Cast,
) -> None:
    client = signed_in("head")
    first = client.get("/o/rivington/reports/acknowledgements/").content.decode()
    with CaptureQueriesContext(connection) as again:
        second = client.get("/o/rivington/reports/acknowledgements/").content.decode()
    assert len(again) == 2  # session with person and roles; organisation with the chain's head
    assert _figures(second) == _figures(first)


def _figures(page: str) -> str:
    return page[page.index('id="main-content"') : page.index("</main>")]


def test_the_dashboard_shows_an_acknowledgement_made_a_moment_ago(reading: Cast) -> None:
    client = signed_in("head")
    assert 'id="overall-percent">25%' in client.get("/o/rivington/reports/acknowledgements/").text
    teacher = signed_in("teacher")
    assignment = Assignment.objects.get(staff=staff("S1"))
    teacher.get("/o/rivington/reports/acknowledgements/")  # a 404: the cache holds nothing new
    actions.acknowledge(assignment, user=reading.head)
    page = client.get("/o/rivington/reports/acknowledgements/").text
    assert 'id="overall-percent">50%' in page
    _forty_more_staff(reading)
    assert 'id="acknowledged-count">2</span> of the 44 staff' in (
        client.get("/o/rivington/reports/acknowledgements/").text
    )


def test_a_governor_never_sees_the_names_a_headteacher_was_shown(reading: Cast) -> None:
    assert "Dan Safe" in signed_in("head").get("/o/rivington/reports/acknowledgements/").text
    governor = signed_in("governor").get("/o/rivington/reports/acknowledgements/").text
    assert 'id="overall-percent">25%' in governor
    assert "Dan Safe" not in governor and "Hannah Head" not in governor


def test_the_figures_follow_the_day_without_a_write(
    reading: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = signed_in("head")
    late = client.get("/o/rivington/reports/acknowledgements/").text
    assert 'id="overdue-count">3<' in late  # due a fortnight after 12 January 2026
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)
    on_the_day = client.get("/o/rivington/reports/acknowledgements/").text
    assert 'id="overdue-count">0<' in on_the_day


def _narrowed(cast: Cast) -> None:
    actions.save_settings(
        cast.school,
        scope="works_with_children",
        due_days=14,
        reminder_every_days=7,
        pass_mark=80,
        actor=cast.head,
    )


def _leaver_and_starter(cast: Cast) -> None:
    future = timezone.localdate() + dt.timedelta(days=30)
    rows = (
        "mis_id,full_name,team,start_date,leaving_date\n"
        "L1,Lee Leaver,KS1,2010-09-01,2020-07-31\n"
        f"N1,Nia New,KS1,{future},\n"
        f"N2,Ned Now,KS1,{timezone.localdate()},\n"
    )
    import_file(
        cast.school, "staff", rows.encode(), filename="s.csv", dry_run=False, actor=None, full=False
    )


def _privacy_checks(cast: Cast) -> None:
    for mis_id in ("S2", "S4"):
        actions.record_privacy_check(staff(mis_id), ["facebook"], user=cast.head)


@pytest.mark.parametrize(
    "situation",
    [
        lambda cast: None,
        _narrowed,
        _leaver_and_starter,
        _privacy_checks,
        lambda cast: (_privacy_checks(cast), _narrowed(cast), _leaver_and_starter(cast)),
    ],
)
def test_the_dashboard_headline_counts_as_the_governors_and_the_authority_do(
    reading: Cast, situation: Any
) -> None:
    situation(reading)
    today = timezone.localdate()
    assert school_rate(reading.school, people(reading.school, today), today) == rate_of(
        reading.school, today
    )


def test_the_staff_handbook_is_a_pdf(reading: Cast) -> None:
    response = signed_in("head").get("/o/rivington/reports/staff-handbook.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_the_governors_report_pdf(reading: Cast) -> None:
    response = signed_in("governor").get("/o/rivington/reports/governors.pdf")
    assert response.content.startswith(b"%PDF")
