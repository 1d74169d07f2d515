"""Staff at Rivington, imported as a school would, and a policy brought into force."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from boundaries.core.models import StaffRecord
from boundaries.policies import actions
from boundaries.policies.models import Policy, PolicyVersion
from boundaries.roster.actions import import_file
from tests.cast import PASSWORD, Cast, small_tree

TODAY = dt.date(2026, 1, 12)
STAFF_CSV = (
    "mis_id,full_name,work_email,job_title,team,start_date,works_with_children,line_manager\n"
    "S1,Hannah Head,head@rivington.example,Headteacher,Leadership,2015-09-01,yes,\n"
    "S2,Tess Teacher,teacher@rivington.example,Class teacher,KS2,2019-09-01,yes,S1\n"
    "S3,Dan Safe,dsl@rivington.example,Deputy head,Leadership,2018-09-01,yes,S1\n"
    "S4,Ollie Office,office@rivington.example,Office manager,Office,2017-09-01,no,S1\n"
)


def import_staff(cast: Cast, text: str = STAFF_CSV, today: dt.date = TODAY) -> None:
    plan = import_file(
        cast.school,
        "staff",
        text.encode(),
        filename="staff.csv",
        dry_run=False,
        actor=cast.head,
        today=today,
    )
    assert plan.ok, plan.errors


def policy_in_force(cast: Cast, today: dt.date = TODAY) -> tuple[Policy, PolicyVersion]:
    policy = actions.create_policy(cast.school, title="Staff social media", actor=cast.head)
    v1 = actions.create_version(policy, small_tree(), actor=cast.head)
    v1 = actions.ratify(v1, date_ratified=today, minute_ref="GB/1", actor=cast.governor)
    return policy, actions.bring_into_force(v1, actor=cast.head, today=today)


def next_version(
    cast: Cast, policy: Policy, *, material: bool, today: dt.date = TODAY
) -> PolicyVersion:
    v = actions.create_version(
        policy, small_tree("Do not befriend pupils, parents or carers online."), actor=cast.head
    )
    v = actions.ratify(v, date_ratified=today, minute_ref="GB/2", actor=cast.governor)
    return actions.bring_into_force(v, actor=cast.head, today=today, material_change=material)


def signed_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def staff(mis_id: str) -> StaffRecord:
    return StaffRecord.objects.get(mis_id=mis_id)
