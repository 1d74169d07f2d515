"""Every write to connection declarations: one transaction each, with its audit event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import partial

from django.db import transaction
from django.utils import timezone

from boundaries.core import audit
from boundaries.core.models import Organisation, StaffRecord, User
from boundaries.core.refusals import refused_step
from boundaries.declarations.errors import DeclarationError
from boundaries.declarations.models import (
    AdviceText,
    ConnectionDeclaration,
    CounterpartKind,
    DeclarationOutcome,
    DeclarationStatus,
)
from boundaries.declarations.models.connections import DEFAULT_ADVICE
from boundaries.declarations.notifications import send_review_request
from boundaries.roster.models import Carer, Pupil


def advice_for(organisation: Organisation) -> str:
    stored = AdviceText.objects.filter(organisation=organisation).first()
    return stored.text if stored else DEFAULT_ADVICE


def staff_record_of(user: User, organisation: Organisation) -> StaffRecord | None:
    return StaffRecord.objects.filter(organisation=organisation, user=user).first()


def _summary(d: ConnectionDeclaration) -> dict[str, object]:
    """What the audit row keeps: the shape of the record, not the other person's name."""
    return {
        "staff": d.staff_id,
        "counterpart_kind": d.counterpart_kind,
        "from_roster": d.pupil_id is not None or d.carer_id is not None,
        "relationship": d.relationship,
        "platforms": d.platforms,
        "status": d.status,
        "outcome": d.outcome,
    }


def declare_connection(
    organisation: Organisation,
    *,
    actor: User,
    counterpart_kind: str,
    relationship: str,
    platforms: Sequence[str],
    pupil: Pupil | None = None,
    carer: Carer | None = None,
    counterpart_name: str = "",
    relationship_detail: str = "",
    since: dt.date | None = None,
    now: dt.datetime | None = None,
) -> ConnectionDeclaration:
    """A member of staff declares a connection; the school's advice is fixed on the record."""
    now = now or timezone.now()
    staff = staff_record_of(actor, organisation)
    if staff is None:
        raise DeclarationError(
            "The school has no staff record linked to your account yet: ask the office to add one"
        )
    if counterpart_kind not in CounterpartKind.values:
        raise DeclarationError(f"Unknown kind of connection {counterpart_kind!r}")
    if pupil is not None and pupil.organisation_id != organisation.pk:
        raise DeclarationError("That pupil is not on this school's roll")
    if carer is not None and carer.organisation_id != organisation.pk:
        raise DeclarationError("That parent or carer is not on this school's records")
    if pupil is None and carer is None and not counterpart_name.strip():
        raise DeclarationError("Choose the person from the list or type their name")
    if carer is not None and counterpart_kind != CounterpartKind.PARENT_CARER:
        raise DeclarationError("A parent or carer from the list must be declared as one")
    cleaned = sorted({p.strip() for p in platforms if p.strip()})
    if not cleaned:
        raise DeclarationError("Name at least one platform or way you are in contact")
    with transaction.atomic():
        declaration = ConnectionDeclaration.objects.create(
            organisation=organisation,
            staff=staff,
            declared_by=actor,
            counterpart_kind=counterpart_kind,
            pupil=pupil,
            carer=carer,
            counterpart_name="" if (pupil or carer) else counterpart_name.strip(),
            relationship=relationship,
            relationship_detail=relationship_detail.strip(),
            platforms=cleaned,
            since=since,
            advice_shown=advice_for(organisation),
            last_confirmed_on=timezone.localdate(now),
            created_at=now,
        )
        audit.record(
            "declarations.declared",
            actor=actor,
            organisation=organisation,
            obj=declaration,
            after=_summary(declaration),
            now=now,
        )
    return declaration


def _move(
    declaration: ConnectionDeclaration,
    to: str,
    *,
    actor: User,
    action: str,
    now: dt.datetime,
    **changes: object,
) -> ConnectionDeclaration:
    with transaction.atomic():
        locked = ConnectionDeclaration.objects.select_for_update().get(pk=declaration.pk)
        if not locked.can_move_to(to):
            refused_step(locked, to, actor=actor, reason="move")
            raise DeclarationError(
                f"A declaration that is {locked.get_status_display().lower()} cannot become "
                f"{DeclarationStatus(to).label.lower()}"
            )
        before = _summary(locked)
        locked.status = to
        for key, value in changes.items():
            setattr(locked, key, value)
        locked.save()
        audit.record(
            action,
            actor=actor,
            organisation=locked.organisation,
            obj=locked,
            before=before,
            after=_summary(locked),
            now=now,
        )
    return locked


def acknowledge_advice(
    declaration: ConnectionDeclaration,
    *,
    actor: User,
    notify: bool = True,
    now: dt.datetime | None = None,
) -> ConnectionDeclaration:
    """The member of staff has read the advice; the reviewer is emailed after commit."""
    now = now or timezone.now()
    if declaration.declared_by_id != actor.pk:
        raise DeclarationError("Only the person who declared the connection can acknowledge")
    with transaction.atomic():
        moved = _move(
            declaration,
            DeclarationStatus.AWAITING_REVIEW,
            actor=actor,
            action="declarations.advice_acknowledged",
            now=now,
            acknowledged_at=now,
        )
        if notify:
            transaction.on_commit(partial(send_review_request, moved.pk))
    return moved


def review(
    declaration: ConnectionDeclaration,
    *,
    actor: User,
    outcome: str,
    note: str = "",
    now: dt.datetime | None = None,
) -> ConnectionDeclaration:
    """The line manager or DSL records what happens next."""
    now = now or timezone.now()
    if outcome not in DeclarationOutcome.values:
        raise DeclarationError(f"Unknown outcome {outcome!r}")
    if declaration.declared_by_id == actor.pk:
        raise DeclarationError("Someone else must review your own declaration")
    return _move(
        declaration,
        DeclarationStatus.REVIEWED,
        actor=actor,
        action="declarations.reviewed",
        now=now,
        outcome=outcome,
        outcome_note=note.strip(),
        reviewed_by=actor,
        reviewed_at=now,
    )


def end_connection(
    declaration: ConnectionDeclaration, *, actor: User, now: dt.datetime | None = None
) -> ConnectionDeclaration:
    """The member of staff (or a reviewer) records that the connection no longer exists."""
    now = now or timezone.now()
    return _move(
        declaration,
        DeclarationStatus.ENDED,
        actor=actor,
        action="declarations.ended",
        now=now,
        ended_on=timezone.localdate(now),
    )


def reconfirm(
    declaration: ConnectionDeclaration, *, actor: User, now: dt.datetime | None = None
) -> ConnectionDeclaration:
    """The yearly confirmation that the declaration is still true and complete."""
    now = now or timezone.now()
    if declaration.declared_by_id != actor.pk:
        raise DeclarationError("Only the person who declared the connection can re-confirm it")
    if not declaration.is_active():
        raise DeclarationError("This connection has ended: there is nothing to re-confirm")
    with transaction.atomic():
        before = {"last_confirmed_on": declaration.last_confirmed_on}
        declaration.last_confirmed_on = timezone.localdate(now)
        declaration.save(update_fields=["last_confirmed_on"])
        audit.record(
            "declarations.reconfirmed",
            actor=actor,
            organisation=declaration.organisation,
            obj=declaration,
            before=before,
            after={"last_confirmed_on": declaration.last_confirmed_on},
            now=now,
        )
    return declaration


def save_advice(
    organisation: Organisation, text: str, *, actor: User, now: dt.datetime | None = None
) -> AdviceText:
    now = now or timezone.now()
    if not text.strip():
        raise DeclarationError("Write the advice staff will see")
    with transaction.atomic():
        advice = AdviceText.objects.filter(organisation=organisation).first()
        before = {"text": advice.text if advice else DEFAULT_ADVICE}
        if advice is None:
            advice = AdviceText(organisation=organisation)
        advice.text = text.strip()
        advice.updated_by = actor
        advice.updated_at = now
        advice.save()
        audit.record(
            "declarations.advice_saved",
            actor=actor,
            organisation=organisation,
            obj=advice,
            before=before,
            after={"text": advice.text},
            now=now,
        )
    return advice


def record_read(
    declaration: ConnectionDeclaration, *, actor: User, now: dt.datetime | None = None
) -> None:
    """A reviewer opened someone else's declaration: a sensitive read."""
    with transaction.atomic():
        audit.record(
            "declarations.viewed",
            actor=actor,
            organisation=declaration.organisation,
            obj=declaration,
            now=now,
        )


def record_export(
    organisation: Organisation, rows: int, *, actor: User, now: dt.datetime | None = None
) -> None:
    with transaction.atomic():
        audit.record(
            "declarations.exported",
            actor=actor,
            organisation=organisation,
            after={"rows": rows},
            now=now,
        )
