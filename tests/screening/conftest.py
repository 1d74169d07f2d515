from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from boundaries.core.models import Organisation, StaffRecord
from boundaries.roster.models import Carer, Pupil
from boundaries.screening.schoolcontext import forget_cached
from tests.cast import PASSWORD, Cast


def sign_in(client: Client, username: str) -> Client:
    assert client.login(username=username, password=PASSWORD)
    return client


def invented_roster(school: Organisation) -> None:
    """Invented people: two pupils, a former pupil aged 16, a parent and a colleague."""
    school.email_domains = ["rivington.example"]
    school.save(update_fields=["email_domains"])
    jayden = Pupil.objects.create(
        organisation=school, full_name="Jayden Okafor", date_of_birth=dt.date(2016, 3, 1)
    )
    Pupil.objects.create(
        organisation=school,
        full_name="Amelia Hartley",
        preferred_name="Millie",
        date_of_birth=dt.date(2017, 5, 2),
    )
    Pupil.objects.create(
        organisation=school,
        full_name="Kieran Walsh",
        date_of_birth=dt.date(2010, 1, 9),
        leaving_date=dt.date(2021, 7, 20),
    )
    carer = Carer.objects.create(organisation=school, full_name="Donna Okafor")
    carer.pupils.add(jayden)
    StaffRecord.objects.create(organisation=school, full_name="Priya Natarajan")


@pytest.fixture
def school_cast(cast: Cast) -> Cast:
    forget_cached()
    invented_roster(cast.school)
    return cast
