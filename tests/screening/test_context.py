"""The school's context from the database: who is who, and a cache that sees changes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from boundaries.core.models import AuditEvent, StaffRecord, WorkingCalendar
from boundaries.roster.models import Pupil
from boundaries.screening.schoolcontext import context_data, context_for
from tests.cast import Cast
from tests.screening.conftest import sign_in

TODAY = dt.date(2026, 3, 4)


@pytest.mark.parametrize(
    ("name", "role", "aliases", "born"),
    [
        ("Jayden Okafor", "pupil", [], "2016-03-01"),
        ("Amelia Hartley", "pupil", ["Millie"], "2017-05-02"),
        ("Kieran Walsh", "former_pupil", [], "2010-01-09"),
        ("Donna Okafor", "parent", [], None),
        ("Priya Natarajan", "staff", [], None),
    ],
)
def test_the_roster_becomes_the_checkers_people(
    school_cast: Cast, name, role, aliases, born
) -> None:
    people = {p["name"]: p for p in context_data(school_cast.school, TODAY)["people"]}
    assert people[name]["role"] == role
    assert people[name].get("aliases", []) == aliases
    assert people[name].get("date_of_birth") == born


def test_staff_who_have_left_are_not_colleagues_any_more(school_cast: Cast) -> None:
    StaffRecord.objects.create(
        organisation=school_cast.school, full_name="Old Colleague", leaving_date=dt.date(2020, 1, 1)
    )
    names = {p["name"] for p in context_data(school_cast.school, TODAY)["people"]}
    assert "Old Colleague" not in names


def test_the_context_has_the_schools_domains_and_working_hours(school_cast: Cast) -> None:
    WorkingCalendar.objects.create(organisation=school_cast.school)
    data = context_data(school_cast.school, TODAY)
    assert data["organisation"]["domains"] == ["rivington.example"]
    assert data["working_hours"]["start"] == "08:30"


def test_a_saved_roster_change_is_seen_at_once(school_cast: Cast) -> None:
    first = context_for(school_cast.school, TODAY)
    assert context_for(school_cast.school, TODAY) is first
    pupil = Pupil.objects.get(full_name="Jayden Okafor")
    pupil.full_name = "Jaydon Okafor"
    pupil.save()
    changed = context_for(school_cast.school, TODAY)
    assert "Jaydon Okafor" in {p.name for p in changed.people}


def test_a_bulk_update_is_seen_once_the_entry_is_old_and_only_then_rebuilt(
    school_cast: Cast,
) -> None:
    first = context_for(school_cast.school, TODAY)
    assert context_for(school_cast.school, TODAY, max_age=0) is first  # rows unchanged
    Pupil.objects.filter(full_name="Jayden Okafor").update(full_name="Jaydon Okafor")
    assert context_for(school_cast.school, TODAY) is first  # no signal: trusted for MAX_AGE
    changed = context_for(school_cast.school, TODAY, max_age=0)
    assert changed is not first
    assert "Jaydon Okafor" in {p.name for p in changed.people}


def test_a_new_day_rereads_the_roster(school_cast: Cast) -> None:
    Pupil.objects.filter(full_name="Jayden Okafor").update(leaving_date=TODAY)
    before = {
        p.name: p.role for p in context_for(school_cast.school, TODAY - dt.timedelta(1)).people
    }
    after = {p.name: p.role for p in context_for(school_cast.school, TODAY).people}
    assert (before["Jayden Okafor"], after["Jayden Okafor"]) == ("pupil", "former_pupil")


def test_a_default_calendar_is_created_once_and_audited(school_cast: Cast, client: Client) -> None:
    signed = sign_in(client, "teacher")
    for _ in range(2):
        signed.post("/o/rivington/check/", {"text": "hello", "audience": "public"})
    assert WorkingCalendar.objects.filter(organisation=school_cast.school).count() == 1
    assert AuditEvent.objects.filter(action="calendar.created_default").count() == 1


def test_the_head_sets_other_names_for_the_school(school_cast: Cast, client: Client) -> None:
    assert sign_in(client, "teacher").get("/o/rivington/check/school-names/").status_code == 404
    client.logout()
    reply = sign_in(client, "head").post(
        "/o/rivington/check/school-names/", {"aliases": "RFPS\n  Rivi \nrfps\n"}
    )
    assert reply.status_code == 302
    assert context_data(school_cast.school, TODAY)["organisation"]["aliases"] == ["RFPS", "Rivi"]
    event = AuditEvent.objects.get(action="screening.aliases_changed")
    assert event.after == {"aliases": ["RFPS", "Rivi"]} and event.actor == school_cast.head
