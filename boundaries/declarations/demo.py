"""Invented declarations, a vacancy with its attestation and a few school devices for
Rivington, so the pages have something to show. Idempotent: skipped once present."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from boundaries.core.models import Organisation, StaffRecord, User
from boundaries.declarations import actions, device_actions, recruitment_actions
from boundaries.declarations.models import ConnectionDeclaration, SchoolDevice, Vacancy
from boundaries.roster.models import Carer, Pupil


def build_demo(orgs: dict[str, Organisation], users: dict[str, User]) -> dict[str, int]:
    school = orgs["rivington"]
    made = {"declarations": 0, "vacancies": 0, "devices": 0}
    if not ConnectionDeclaration.objects.filter(organisation=school).exists():
        made["declarations"] = _declarations(school, users)
    if not Vacancy.objects.filter(organisation=school).exists():
        recruitment_actions.create_vacancy(
            school,
            actor=users["head.rivington"],
            title="Year 2 class teacher",
            reference="RFP-26-07",
            closing_date=dt.date(2026, 3, 13),
            shortlist=["C1", "C2", "C3", "C4"],
        )
        vacancy = Vacancy.objects.get(organisation=school)
        recruitment_actions.attest(
            vacancy,
            actor=users["head.rivington"],
            kind="no_vetting",
            panel="Headteacher, Key Stage 2 lead, chair of governors",
        )
        recruitment_actions.create_vacancy(
            school,
            actor=users["head.rivington"],
            title="Teaching assistant",
            reference="RFP-26-09",
            shortlist=["C1", "C2"],
        )
        made["vacancies"] = 2
    if not SchoolDevice.objects.filter(organisation=school).exists():
        made["devices"] = _devices(school, users)
    return made


def _declarations(school: Organisation, users: dict[str, User]) -> int:
    teacher, manager, dsl = (
        users["teacher.rivington"],
        users["manager.rivington"],
        users["dsl.rivington"],
    )
    carer = Carer.objects.filter(organisation=school).first()
    first = actions.declare_connection(
        school,
        actor=teacher,
        counterpart_kind="parent_carer",
        relationship="relative",
        relationship_detail="My cousin",
        platforms=["Facebook", "WhatsApp"],
        carer=carer,
        counterpart_name="" if carer else "Invented Cousin",
        since=dt.date(2012, 6, 1),
    )
    actions.acknowledge_advice(first, actor=teacher, notify=False)
    actions.review(
        first,
        actor=dsl,
        outcome="continue_with_advice",
        note="Family connection; no school matters to be discussed online.",
    )
    today = timezone.localdate()
    former = next(
        (p for p in Pupil.objects.filter(organisation=school) if p.is_former(today)), None
    )
    second = actions.declare_connection(
        school,
        actor=manager,
        counterpart_kind="former_pupil",
        relationship="other",
        relationship_detail="Coaches the same junior football club",
        platforms=["Instagram"],
        pupil=former,
        counterpart_name="" if former else "An invented former pupil",
        since=dt.date(2024, 9, 1),
    )
    actions.acknowledge_advice(second, actor=manager, notify=False)
    if StaffRecord.objects.filter(organisation=school, user=users["head.rivington"]).exists():
        actions.declare_connection(
            school,
            actor=users["head.rivington"],
            counterpart_kind="parent_carer",
            relationship="prior_friendship",
            platforms=["Facebook"],
            counterpart_name="An invented friend from university",
            since=dt.date(2005, 10, 1),
        )
        return 3
    return 2


def _devices(school: Organisation, users: dict[str, User]) -> int:
    head = users["head.rivington"]
    cameras = [
        device_actions.add_device(school, actor=head, kind=kind, label=label, asset_tag=tag)
        for kind, label, tag in [
            ("camera", "Camera 1", "RFP-CAM-01"),
            ("camera", "Camera 2", "RFP-CAM-02"),
            ("phone", "Trip phone", "RFP-PH-01"),
            ("tablet", "Class iPad 4", "RFP-TAB-04"),
        ]
    ]
    teacher = StaffRecord.objects.filter(
        organisation=school, user=users["teacher.rivington"]
    ).first()
    if teacher is None:
        return len(cameras)
    today = timezone.localdate()
    device_actions.lend(
        cameras[0],
        actor=head,
        borrower=teacher,
        purpose="Year 4 visit to the science museum",
        loaned_on=today - dt.timedelta(days=9),
        due_back=today - dt.timedelta(days=7),
    )
    returned = device_actions.lend(
        cameras[2],
        actor=head,
        borrower=teacher,
        purpose="Residential trip",
        loaned_on=today - dt.timedelta(days=30),
        due_back=today - dt.timedelta(days=27),
    )
    device_actions.record_return(
        returned,
        actor=head,
        returned_on=today - dt.timedelta(days=27),
        images_transferred_on=today - dt.timedelta(days=27),
        wiped_on=today - dt.timedelta(days=26),
    )
    return len(cameras)
