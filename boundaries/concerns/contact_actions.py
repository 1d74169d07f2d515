"""Clause 5: report a pupil's contact, record the steps, close the report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import partial

from django.db import transaction
from django.utils import timezone

from boundaries.concerns.attachments import CheckedFile, attach
from boundaries.concerns.errors import ConcernError
from boundaries.concerns.models import (
    ContactStatus,
    ContactStep,
    PupilContactReport,
    StepKind,
)
from boundaries.concerns.models.pupil_contacts import PARENT_DECISION
from boundaries.concerns.notifications import send_report_emails
from boundaries.core import audit
from boundaries.core.access import can
from boundaries.core.models import Organisation, StaffRecord, User
from boundaries.core.refusals import refused_step
from boundaries.roster.models import Pupil


def report_pupil_contact(
    organisation: Organisation,
    *,
    actor: User,
    platform: str,
    contacted_at: dt.datetime,
    what_was_said: str,
    did_not_respond: bool,
    pupil: Pupil | None = None,
    pupil_description: str = "",
    screenshots: Sequence[CheckedFile] = (),
    notify: bool = True,
    now: dt.datetime | None = None,
) -> PupilContactReport:
    """One step from a phone. The line manager and the DSL are emailed once it is saved
    (`notify=False` only for the invented demo, which must send nobody anything)."""
    now = now or timezone.now()
    if not did_not_respond:
        raise ConcernError(
            "Confirm that you did not respond. If you did reply, say so in what was said and "
            "speak to the designated safeguarding lead today"
        )
    if not platform.strip():
        raise ConcernError("Say which app, site or channel the pupil used")
    if not what_was_said.strip():
        raise ConcernError("Say what the pupil said or sent")
    if contacted_at > now + dt.timedelta(minutes=5):
        raise ConcernError("The time of the contact cannot be in the future")
    if pupil is not None and pupil.organisation_id != organisation.pk:
        raise ConcernError("That pupil is not on this school's roll")
    staff = StaffRecord.objects.filter(organisation=organisation, user=actor).first()
    with transaction.atomic():
        report = PupilContactReport.objects.create(
            organisation=organisation,
            reporter=actor,
            reporter_staff=staff,
            pupil=pupil,
            pupil_description="" if pupil else pupil_description.strip(),
            platform=platform.strip(),
            contacted_at=contacted_at,
            what_was_said=what_was_said.strip(),
            did_not_respond=True,
            created_at=now,
        )
        audit.record(
            "pupil_contacts.reported",
            actor=actor,
            organisation=organisation,
            obj=report,
            after={
                "platform": report.platform,
                "from_roster": pupil is not None,
                "screenshots": len(screenshots),
            },
            now=now,
        )
        for checked in screenshots:
            attach(checked, actor=actor, pupil_contact=report, now=now)
        if notify:
            transaction.on_commit(partial(send_report_emails, report.pk))
    return report


def record_step(
    report: PupilContactReport,
    *,
    actor: User,
    kind: str,
    note: str = "",
    now: dt.datetime | None = None,
) -> ContactStep:
    now = now or timezone.now()
    if kind not in StepKind.values:
        raise ConcernError(f"Unknown step {kind!r}")
    if report.status == ContactStatus.CLOSED:
        raise ConcernError("This report is closed: reopen it to record more")
    if kind in PARENT_DECISION and not can(actor, "pupil_contact.manage", report.organisation):
        raise ConcernError("Only the designated safeguarding lead decides about parents")
    with transaction.atomic():
        if report.steps.filter(kind__in=PARENT_DECISION).exists() and kind in PARENT_DECISION:
            raise ConcernError("The decision about parents is already recorded")
        if report.steps.filter(kind=kind).exists():
            raise ConcernError(f"{StepKind(kind).label} is already recorded")
        step = ContactStep.objects.create(
            report=report, kind=kind, note=note.strip(), recorded_by=actor, recorded_at=now
        )
        audit.record(
            "pupil_contacts.step_recorded",
            actor=actor,
            organisation=report.organisation,
            obj=report,
            after={"step": kind},
            now=now,
        )
    return step


def transition(
    report: PupilContactReport,
    to: str,
    *,
    actor: User,
    note: str = "",
    now: dt.datetime | None = None,
) -> PupilContactReport:
    """Close (or reopen) a report; closing needs every step the policy expects."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = PupilContactReport.objects.select_for_update().get(pk=report.pk)
        if not locked.can_move_to(to):
            refused_step(locked, to, actor=actor, reason="move")
            raise ConcernError(
                f"A report that is {locked.get_status_display().lower()} cannot become "
                f"{ContactStatus(to).label.lower()}"
            )
        if to == ContactStatus.CLOSED:
            missing = locked.missing_steps()
            if missing:
                raise ConcernError("Record these before closing: " + "; ".join(missing))
        before = {"status": locked.status}
        locked.status = to
        if to == ContactStatus.CLOSED:
            locked.closed_by, locked.closed_at, locked.closing_note = actor, now, note.strip()
        else:
            locked.closed_by, locked.closed_at = None, None
        locked.save()
        audit.record(
            "pupil_contacts.transition",
            actor=actor,
            organisation=locked.organisation,
            obj=locked,
            before=before,
            after={"status": to},
            now=now,
        )
    return locked


def record_read(report: PupilContactReport, *, actor: User, now: dt.datetime | None = None) -> None:
    with transaction.atomic():
        audit.record(
            "pupil_contacts.viewed",
            actor=actor,
            organisation=report.organisation,
            obj=report,
            now=now,
        )
