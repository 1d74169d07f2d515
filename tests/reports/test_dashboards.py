"""The school and authority dashboards, their CSVs, the handbook and the governors' report."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from boundaries.acknowledgements import actions
from boundaries.acknowledgements.models import Assignment
from boundaries.core import actions as core_actions
from boundaries.core.roles import OrganisationKind
from boundaries.reports.governors import shown
from boundaries.roster.actions import import_file
from tests.acknowledgements.helpers import import_staff, policy_in_force, signed_in, staff
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


def test_the_school_dashboard_queries_do_not_grow_with_staff(reading: Cast) -> None:
    client = signed_in("head")
    client.get("/o/rivington/reports/acknowledgements/")
    with CaptureQueriesContext(connection) as few:
        client.get("/o/rivington/reports/acknowledgements/")
    rows = "mis_id,full_name,team\n" + "".join(f"Y{j},Person {j},Team {j % 4}\n" for j in range(40))
    import_file(
        reading.school,
        "staff",
        rows.encode(),
        filename="s.csv",
        dry_run=False,
        actor=None,
        full=False,
    )
    with CaptureQueriesContext(connection) as many:
        client.get("/o/rivington/reports/acknowledgements/")
    assert len(many) == len(few)


def test_the_staff_handbook_is_a_pdf(reading: Cast) -> None:
    response = signed_in("head").get("/o/rivington/reports/staff-handbook.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_the_governors_report_pdf(reading: Cast) -> None:
    response = signed_in("governor").get("/o/rivington/reports/governors.pdf")
    assert response.content.startswith(b"%PDF")
