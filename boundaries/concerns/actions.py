"""Every write to concerns about staff: one transaction each, with the chronology entry
and the audit event. `transition` is the only way a concern changes state."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import partial

from django.db import transaction
from django.utils import timezone

from boundaries.concerns.errors import ConcernError
from boundaries.concerns.models import (
    Concern,
    ConcernKind,
    ConcernSource,
    ConcernStatus,
    Outcome,
)
from boundaries.concerns.notifications import send_concern_raised
from boundaries.concerns.working_days import lado_deadline
from boundaries.core import audit
from boundaries.core.access import can
from boundaries.core.models import Organisation, StaffRecord, User
from boundaries.core.refusals import refused_step
from boundaries.policies.models import Clause, VersionStatus


def clauses_in_force(organisation: Organisation) -> list[Clause]:
    return list(
        Clause.objects.filter(
            version__policy__organisation=organisation,
            version__status=VersionStatus.IN_FORCE,
            version__policy__is_model=False,
        ).order_by("version__policy_id", "position")
    )


def _check_clauses(organisation: Organisation, clauses: Sequence[Clause]) -> None:
    allowed = {c.pk for c in clauses_in_force(organisation)}
    for clause in clauses:
        if clause.pk not in allowed:
            raise ConcernError(f"Clause {clause.number} is not in the policy in force")


def raise_concern(
    organisation: Organisation,
    *,
    actor: User,
    subject: StaffRecord,
    summary: str,
    detail: str,
    source: str = ConcernSource.STAFF,
    complainant: str = "",
    occurred_on: dt.date | None = None,
    clauses: Sequence[Clause] = (),
    notify: bool = True,
    now: dt.datetime | None = None,
) -> Concern:
    """Anyone can raise a concern; only the office logs a parent's complaint. The DSL and the
    headteacher (never the person it is about) are emailed a link after commit."""
    now = now or timezone.now()
    if subject.organisation_id != organisation.pk:
        raise ConcernError("That person is not on this school's staff")
    if subject.user_id == actor.pk:
        raise ConcernError("You cannot raise a concern about yourself; speak to the DSL")
    if source not in ConcernSource.values:
        raise ConcernError(f"Unknown source {source!r}")
    if source == ConcernSource.PARENT_COMPLAINT and not can(
        actor, "concern.log_complaint", organisation
    ):
        raise ConcernError("Only the office or the DSL logs a parent's complaint")
    if not summary.strip() or not detail.strip():
        raise ConcernError("Give a short summary and say what happened")
    _check_clauses(organisation, clauses)
    with transaction.atomic():
        concern = Concern.objects.create(
            organisation=organisation,
            subject=subject,
            raised_by=actor,
            source=source,
            complainant=complainant.strip(),
            summary=summary.strip(),
            detail=detail.strip(),
            occurred_on=occurred_on,
            created_at=now,
        )
        concern.clauses.set(clauses)
        concern.events.create(
            at=now, actor=actor, kind="raised", to_status=concern.status, text=concern.summary
        )
        audit.record(
            "concerns.raised",
            actor=actor,
            organisation=organisation,
            obj=concern,
            after={
                "subject": subject.pk,
                "source": source,
                "clauses": [c.number for c in clauses],
            },
            now=now,
        )
        if notify:
            transaction.on_commit(partial(send_concern_raised, concern.pk))
    return concern


def transition(
    concern: Concern,
    to: str,
    *,
    actor: User,
    note: str = "",
    outcome: str = "",
    lado_reference: str = "",
    referred_on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Concern:
    """Move a concern along CONCERN_MOVES; anything else is refused. Triage (to low-level or
    allegation) is for the DSL and headteacher; HR may also refer and close."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        locked = Concern.objects.select_for_update().get(pk=concern.pk)
        if not locked.can_move_to(to):
            refused_step(locked, to, actor=actor, reason="move")
            raise ConcernError(
                f"A concern that is {locked.get_status_display().lower()} cannot become "
                f"{ConcernStatus(to).label.lower()}"
            )
        organisation = locked.organisation
        triage = to in {ConcernStatus.LOW_LEVEL, ConcernStatus.ALLEGATION}
        if triage and not can(actor, "concern.triage", organisation):
            refused_step(locked, to, actor=actor, reason="role")
            raise ConcernError("Only the DSL or the headteacher triages a concern")
        if not triage and not can(actor, "concern.manage", organisation):
            refused_step(locked, to, actor=actor, reason="role")
            raise ConcernError("You cannot change this concern")
        before = {"status": locked.status, "kind": locked.kind, "outcome": locked.outcome}
        if to == ConcernStatus.LOW_LEVEL:
            locked.kind = ConcernKind.LOW_LEVEL
            locked.lado_due = None if locked.lado_referred_on is None else locked.lado_due
            locked.outcome, locked.closed_at = "", None
        elif to == ConcernStatus.ALLEGATION:
            locked.kind = ConcernKind.ALLEGATION
            locked.lado_due = lado_deadline(organisation, today)
        elif to == ConcernStatus.REFERRED:
            if not lado_reference.strip():
                raise ConcernError("Enter the LADO's reference for the referral")
            locked.lado_reference = lado_reference.strip()
            locked.lado_referred_on = referred_on or today
        elif to == ConcernStatus.CLOSED:
            if outcome not in Outcome.values:
                raise ConcernError("Choose the outcome before closing the concern")
            locked.outcome, locked.outcome_note, locked.closed_at = outcome, note.strip(), now
        locked.status = to
        locked.save()
        locked.events.create(
            at=now,
            actor=actor,
            kind="transition",
            from_status=before["status"],
            to_status=to,
            text=note.strip(),
        )
        audit.record(
            "concerns.transition",
            actor=actor,
            organisation=organisation,
            obj=locked,
            before=before,
            after={"status": to, "kind": locked.kind, "outcome": locked.outcome},
            now=now,
        )
    return locked


def add_note(
    concern: Concern, text: str, *, actor: User, now: dt.datetime | None = None
) -> Concern:
    now = now or timezone.now()
    if not text.strip():
        raise ConcernError("Write the note")
    with transaction.atomic():
        concern.events.create(at=now, actor=actor, kind="note", text=text.strip())
        audit.record(
            "concerns.note_added",
            actor=actor,
            organisation=concern.organisation,
            obj=concern,
            now=now,
        )
    return concern


def link_clauses(
    concern: Concern, clauses: Sequence[Clause], *, actor: User, now: dt.datetime | None = None
) -> Concern:
    now = now or timezone.now()
    _check_clauses(concern.organisation, clauses)
    with transaction.atomic():
        before = sorted(concern.clauses.values_list("number", flat=True))
        concern.clauses.set(clauses)
        after = sorted(c.number for c in clauses)
        concern.events.create(
            at=now, actor=actor, kind="clauses", text="Clauses: " + (", ".join(after) or "none")
        )
        audit.record(
            "concerns.clauses_linked",
            actor=actor,
            organisation=concern.organisation,
            obj=concern,
            before={"clauses": before},
            after={"clauses": after},
            now=now,
        )
    return concern


def record_read(concern: Concern, *, actor: User, now: dt.datetime | None = None) -> None:
    """Every read of a concern is written to the audit log."""
    with transaction.atomic():
        audit.record(
            "concerns.viewed",
            actor=actor,
            organisation=concern.organisation,
            obj=concern,
            now=now,
        )
