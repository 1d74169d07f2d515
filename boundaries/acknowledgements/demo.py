"""A realistic mix of reading at Rivington: most staff have confirmed, some are overdue,
one new starter is part-way through induction; questions and induction items set."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from boundaries.acknowledgements import actions
from boundaries.acknowledgements.models import (
    Acknowledgement,
    Assignment,
    Induction,
    InductionItem,
    Method,
    PrivacyCheck,
    Question,
)
from boundaries.core import actions as core_actions
from boundaries.core.models import Organisation, StaffRecord, User
from boundaries.policies.models import PolicyVersion, VersionStatus

ITEMS = [
    "Meet the designated safeguarding lead",
    "Read and sign the Acceptable Use Policy",
    "School email account and device set up",
]
QUESTIONS = [
    (
        "A parent sends you a friend request on a personal account. What do you do?",
        ["Accept it if you know them well", "Decline it and tell your line manager"],
        1,
    ),
    (
        "A pupil messages you on a personal account. What do you do?",
        ["Reply briefly to be polite", "Do not reply, and report it to your manager"],
        1,
    ),
]
NEVER = {"teacher.rivington"}  # the demo teacher has something to read


def build_demo(orgs: dict[str, Organisation], users: dict[str, User]) -> dict[str, int]:
    school = orgs["rivington"]
    head = users["head.rivington"]
    made = {"assignments": 0, "acknowledgements": 0}
    if not InductionItem.objects.filter(organisation=school).exists():
        for title in ITEMS:
            actions.add_induction_item(school, title, actor=head)
    today = timezone.localdate()
    for version in PolicyVersion.objects.filter(
        policy__organisation=school, status=VersionStatus.IN_FORCE
    ).select_related("policy"):
        if not Question.objects.filter(policy=version.policy).exists():
            for text, choices, correct in QUESTIONS:
                actions.add_question(
                    version.policy, text=text, choices=choices, correct=correct, actor=head
                )
        if not Assignment.objects.filter(version=version).exists():
            made["assignments"] += actions.assign_version(version, None, head, today)
    made["acknowledgements"] += _acknowledge_most(school, head, users)
    _new_starter(school, head, today)
    _privacy_checks(school, head)
    return made


def _acknowledge_most(school: Organisation, head: User, users: dict[str, User]) -> int:
    skip = {users[u].pk for u in NEVER if u in users}
    count = 0
    for assignment in Assignment.objects.filter(
        staff__organisation=school,
        completed_at__isnull=True,
        version__status=VersionStatus.IN_FORCE,
    ).select_related("staff", "version__policy"):
        if assignment.staff.user_id in skip or hasattr(assignment.staff, "induction"):
            continue
        if random.Random(assignment.staff_id).random() < 0.22:  # roughly one in five overdue
            continue
        if Acknowledgement.objects.filter(
            staff=assignment.staff, version=assignment.version
        ).exists():
            continue
        person = assignment.staff.user
        questions = assignment.version.policy.questions.all()
        actions.acknowledge(
            assignment,
            user=person or head,
            answers={q.pk: q.correct for q in questions},
            method=Method.WEB if person else Method.PAPER,
        )
        count += 1
    return count


def _new_starter(school: Organisation, head: User, today: dt.date) -> None:
    if StaffRecord.objects.filter(organisation=school, mis_id="RFP0900").exists():
        return
    record, _ = core_actions.save_staff_record(
        school,
        mis_id="RFP0900",
        actor=None,
        full_name="Nadia Qureshi",
        work_email="n.qureshi@rivington.example",
        job_title="Teaching assistant",
        team="Key Stage 1",
        start_date=today - dt.timedelta(days=10),
        works_with_children=True,
    )
    actions.assign_new_staff(school, [record], head, today)
    induction = Induction.objects.filter(staff=record).first()
    first = InductionItem.objects.filter(organisation=school, active=True).first()
    if induction and first:
        actions.tick_induction_item(induction, first, actor=head)


def _privacy_checks(school: Organisation, head: User) -> None:
    rng = random.Random(11)
    for record in StaffRecord.objects.filter(organisation=school, user__isnull=True)[:20]:
        if rng.random() < 0.6 and not PrivacyCheck.objects.filter(staff=record).exists():
            actions.record_privacy_check(record, ["facebook", "whatsapp"], user=head)
