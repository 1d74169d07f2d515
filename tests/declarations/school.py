"""Rivington's people for declarations and concerns: staff records with a line manager,
and a small invented roll of pupils and carers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.test import Client

from boundaries.core import actions as core_actions
from boundaries.core.models import StaffRecord, User
from boundaries.core.roles import Role
from boundaries.roster.models import Carer, Pupil
from tests.cast import PASSWORD, Cast, person

TODAY = dt.date(2026, 11, 24)


@dataclass
class School:
    cast: Cast
    manager: User
    teacher_record: StaffRecord
    manager_record: StaffRecord
    dsl_record: StaffRecord
    pupil: Pupil
    former_young: Pupil
    former_adult: Pupil
    carer: Carer


def make_school(cast: Cast) -> School:
    school = cast.school
    manager = person("manager", school, Role.LINE_MANAGER)
    dsl_record, _ = core_actions.save_staff_record(
        school, mis_id="S1", actor=None, full_name="Dee Safeguard", user_id=cast.dsl.pk
    )
    manager_record, _ = core_actions.save_staff_record(
        school,
        mis_id="S2",
        actor=None,
        full_name="Mo Manager",
        user_id=manager.pk,
        line_manager_id=dsl_record.pk,
    )
    teacher_record, _ = core_actions.save_staff_record(
        school,
        mis_id="S3",
        actor=None,
        full_name="Tess Teacher",
        job_title="Year 4 teacher",
        user_id=cast.teacher.pk,
        line_manager_id=manager_record.pk,
    )
    core_actions.save_staff_record(
        school, mis_id="S4", actor=None, full_name="Hal Head", user_id=cast.head.pk
    )
    pupil = Pupil.objects.create(
        organisation=school,
        mis_id="P1",
        full_name="Ada Invented",
        date_of_birth=dt.date(2017, 3, 1),
        year_group="Year 4",
    )
    former_young = Pupil.objects.create(
        organisation=school,
        mis_id="P2",
        full_name="Ben Formerly",
        date_of_birth=dt.date(2012, 5, 1),
        leaving_date=dt.date(2023, 7, 21),
    )
    former_adult = Pupil.objects.create(
        organisation=school,
        mis_id="P3",
        full_name="Cal Grownup",
        date_of_birth=dt.date(2004, 1, 9),
        leaving_date=dt.date(2015, 7, 21),
    )
    carer = Carer.objects.create(organisation=school, mis_id="C1", full_name="Dot Parent")
    carer.pupils.add(pupil)
    return School(
        cast,
        manager,
        teacher_record,
        manager_record,
        dsl_record,
        pupil,
        former_young,
        former_adult,
        carer,
    )


def signed_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client
