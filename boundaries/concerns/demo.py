"""An invented pupil-contact report and concern at Rivington, so the pages have something
to show. The demo emails nobody. Idempotent: skipped once present."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from boundaries.concerns import actions, contact_actions
from boundaries.concerns.models import Concern, PupilContactReport
from boundaries.core.models import Organisation, StaffRecord, User
from boundaries.roster.models import Pupil


def build_demo(orgs: dict[str, Organisation], users: dict[str, User]) -> dict[str, int]:
    school = orgs["rivington"]
    made = {"pupil_contact_reports": 0, "concerns": 0}
    now = timezone.now()
    if not PupilContactReport.objects.filter(organisation=school).exists():
        today = timezone.localdate()
        pupil = next(
            (p for p in Pupil.objects.filter(organisation=school) if not p.is_former(today)),
            None,
        )
        report = contact_actions.report_pupil_contact(
            school,
            actor=users["teacher.rivington"],
            platform="Snapchat",
            contacted_at=now - dt.timedelta(days=1, hours=3),
            what_was_said="Sent a friend request and asked about tomorrow's spelling test.",
            did_not_respond=True,
            pupil=pupil,
            pupil_description="" if pupil else "An account using a pupil's first name",
            notify=False,
        )
        contact_actions.record_step(
            report,
            actor=users["dsl.rivington"],
            kind="told_not_acceptable",
            note="Spoken to kindly with their class teacher present.",
        )
        made["pupil_contact_reports"] = 1
    if not Concern.objects.filter(organisation=school).exists():
        subject = (
            StaffRecord.objects.filter(organisation=school, user__isnull=True)
            .order_by("mis_id")
            .first()
        )
        if subject is not None:
            concern = actions.raise_concern(
                school,
                actor=users["manager.rivington"],
                subject=subject,
                summary="Public post naming the school during a strike day",
                detail="An invented example: a public post, since deleted, complained about "
                "the school's leadership by name.",
                occurred_on=timezone.localdate() - dt.timedelta(days=5),
                clauses=[c for c in actions.clauses_in_force(school) if c.number == "4.1(iii)"],
            )
            actions.transition(
                concern,
                "low_level",
                actor=users["dsl.rivington"],
                note="Below the harm threshold; speak to the member of staff.",
            )
            made["concerns"] = 1
    return made
