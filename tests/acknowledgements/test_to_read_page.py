"""'Policies to read' is the page every member of staff opens: it answers in the same few
queries however many policies and colleagues there are, and finds the person's current
staff record on every database."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from boundaries.acknowledgements import actions
from boundaries.acknowledgements.models import Assignment
from boundaries.core.models import StaffRecord
from boundaries.policies import actions as policy_actions
from boundaries.roster.actions import import_file
from tests.acknowledgements.helpers import (
    TODAY,
    import_staff,
    next_version,
    policy_in_force,
    signed_in,
    staff,
)
from tests.cast import Cast, small_tree


def _another_policy_in_force(cast: Cast, title: str) -> None:
    policy = policy_actions.create_policy(cast.school, title=title, actor=cast.head)
    version = policy_actions.create_version(policy, small_tree(), actor=cast.head)
    version = policy_actions.ratify(
        version, date_ratified=TODAY, minute_ref="GB/9", actor=cast.governor
    )
    policy_actions.bring_into_force(version, actor=cast.head, today=TODAY + dt.timedelta(days=3))


def test_the_page_costs_two_queries_however_many_policies_and_staff(cast: Cast) -> None:
    import_staff(cast)
    policy_in_force(cast)
    client = signed_in("teacher")
    client.get("/o/rivington/to-read/")
    with CaptureQueriesContext(connection) as one_policy:
        page = client.get("/o/rivington/to-read/").text
    assert "Staff social media" in page
    for title in ("Acceptable use", "Data protection"):
        _another_policy_in_force(cast, title)
    rows = "mis_id,full_name\n" + "".join(f"Z{j},Colleague {j}\n" for j in range(40))
    import_file(
        cast.school, "staff", rows.encode(), filename="s.csv", dry_run=False, actor=None, full=False
    )
    with CaptureQueriesContext(connection) as three_policies:
        page = client.get("/o/rivington/to-read/").text
    assert len(one_policy) == len(three_policies) == 2  # session and person; school and list
    assert page.index("Staff social media") < page.index("Acceptable use")  # soonest due first
    assert "Data protection" in page and "Overdue" in page


def test_a_re_employed_person_reads_for_their_current_record(cast: Cast) -> None:
    import_staff(cast)
    policy_in_force(cast)
    StaffRecord.objects.create(
        organisation=cast.school,
        user=cast.teacher,
        full_name="Tess Teacher",
        start_date=dt.date(2010, 9, 1),
        leaving_date=dt.date(2014, 7, 31),
    )
    assert staff("S2").user == cast.teacher
    assert "Staff social media" in signed_in("teacher").get("/o/rivington/to-read/").text


def test_someone_with_no_record_at_the_school_gets_a_404(cast: Cast) -> None:
    import_staff(cast)
    policy_in_force(cast)
    assert signed_in("governor").get("/o/rivington/to-read/").status_code == 404


def test_only_open_assignments_of_versions_in_force_are_listed(cast: Cast) -> None:
    import_staff(cast)
    policy, v1 = policy_in_force(cast)
    v2 = next_version(cast, policy, material=True)  # the unread version 1 stays open
    client = signed_in("teacher")
    page = client.get("/o/rivington/to-read/").text
    assert page.count("Staff social media") == 1 and "Version 2" in page
    actions.acknowledge(Assignment.objects.get(staff=staff("S2"), version=v2), user=cast.teacher)
    assert Assignment.objects.get(staff=staff("S2"), version=v1).completed_at is None
    page = client.get("/o/rivington/to-read/")
    assert page.status_code == 200 and "You have nothing to read" in page.text
    other = signed_in("dsl").get("/o/rivington/to-read/").text  # a colleague's list is theirs
    assert "Staff social media" in other and "Version 2" in other


def test_a_colleague_at_another_school_and_an_unknown_school_both_get_a_404(cast: Cast) -> None:
    import_staff(cast)
    policy_in_force(cast)
    assert signed_in("otherhead").get("/o/rivington/to-read/").status_code == 404
    assert signed_in("teacher").get("/o/nowhere/to-read/").status_code == 404
    assert signed_in("teacher").get("/o/brookside/to-read/").status_code == 404


def test_a_person_with_a_record_and_nothing_open_is_thanked(cast: Cast) -> None:
    import_staff(cast)
    page = signed_in("teacher").get("/o/rivington/to-read/")
    assert page.status_code == 200 and "You have nothing to read" in page.text
