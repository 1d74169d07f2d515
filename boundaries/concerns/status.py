"""Live status of the pupil-contact and concern controls on the clause page (counts only)."""

from __future__ import annotations

import datetime as dt

from boundaries.concerns.models import Concern, ConcernStatus, ContactStatus, PupilContactReport
from boundaries.core.models import Organisation
from boundaries.policies.controls import ControlStatus, provides_status

FOLLOW_UP_DAYS = 2
TRIAGE_DAYS = 1


@provides_status("pupil_contact_reports")
def contacts_status(organisation: Organisation, today: dt.date) -> ControlStatus:
    reports = PupilContactReport.objects.filter(organisation=organisation)
    open_reports = list(reports.filter(status=ContactStatus.OPEN).prefetch_related("steps"))
    stale = [
        r
        for r in open_reports
        if r.missing_steps() and (today - r.created_at.date()).days > FOLLOW_UP_DAYS
    ]
    summary = (
        f"{reports.count()} reported, {len(open_reports)} open; {len(stale)} without the steps "
        f"recorded after {FOLLOW_UP_DAYS} days."
    )
    return ControlStatus("attention" if stale else "ok", summary)


@provides_status("concerns")
def concerns_status(organisation: Organisation, today: dt.date) -> ControlStatus:
    concerns = Concern.objects.filter(organisation=organisation)
    overdue = [c for c in concerns.filter(status=ConcernStatus.ALLEGATION) if c.lado_overdue(today)]
    untriaged = [
        c
        for c in concerns.filter(status=ConcernStatus.RECEIVED)
        if (today - c.created_at.date()).days > TRIAGE_DAYS
    ]
    open_count = concerns.exclude(status=ConcernStatus.CLOSED).count()
    summary = (
        f"{open_count} open; {len(untriaged)} waiting for triage for more than "
        f"{TRIAGE_DAYS} day; {len(overdue)} LADO referrals overdue."
    )
    return ControlStatus("attention" if overdue or untriaged else "ok", summary)
