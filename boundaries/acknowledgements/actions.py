"""Every write about reading policies: assignment, acknowledgement, induction, settings,
questions and privacy checks. Each runs in one transaction with its audit event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils import timezone

from boundaries.acknowledgements.models import (
    Acknowledgement,
    AcknowledgementSettings,
    Assignment,
    Induction,
    InductionItem,
    InductionTick,
    Method,
    PrivacyCheck,
    Question,
    Reason,
    Scope,
)
from boundaries.acknowledgements.scope import due_scope, settings_for
from boundaries.core import audit
from boundaries.core.models import Organisation, StaffRecord, User
from boundaries.policies.models import Policy, PolicyVersion, VersionStatus

NEW_STARTER_DAYS = 90


class AcknowledgementError(Exception):
    """A request the state does not allow; the message is for the person."""


def _due(organisation: Organisation, today: dt.date, start: dt.date | None = None) -> dt.date:
    begin = max(today, start) if start else today
    return begin + dt.timedelta(days=settings_for(organisation).due_days)


def assign_version(
    version: PolicyVersion, previous: PolicyVersion | None, actor: User | None, today: dt.date
) -> int:
    """When a version comes into force: a material change (or a first version) is assigned
    to everyone in scope; a minor change carries each assignment over to the new version."""
    if version.policy.is_model:
        return 0
    organisation = version.policy.organisation
    with transaction.atomic():
        if previous is not None and not version.material_change:
            moved = Assignment.objects.filter(version=previous).update(version=version)
            audit.record(
                "acknowledgements.assignments_carried_over",
                actor=actor,
                organisation=organisation,
                obj=version,
                after={"from_version": previous.pk, "assignments": moved},
            )
            return moved
        due = _due(organisation, today)
        staff = list(due_scope(organisation, today).values_list("pk", "start_date"))
        Assignment.objects.bulk_create(
            [
                Assignment(
                    staff_id=pk,
                    version=version,
                    reason=Reason.NEW_VERSION,
                    material_change=previous is not None,
                    assigned_on=today,
                    due_on=max(due, _due(organisation, today, start)),
                )
                for pk, start in staff
            ],
            batch_size=1000,
            ignore_conflicts=True,
        )
        audit.record(
            "acknowledgements.version_assigned",
            actor=actor,
            organisation=organisation,
            obj=version,
            after={"staff": len(staff), "due_on": due, "material_change": previous is not None},
        )
    return len(staff)


def is_new_starter(record: StaffRecord, today: dt.date) -> bool:
    return record.start_date is not None and record.start_date >= today - dt.timedelta(
        days=NEW_STARTER_DAYS
    )


def assign_new_staff(
    organisation: Organisation, records: Sequence[StaffRecord], actor: User | None, today: dt.date
) -> int:
    """New staff records: every policy in force is assigned; new starters get an induction."""
    settings = settings_for(organisation)
    in_force = list(
        PolicyVersion.objects.filter(
            policy__organisation=organisation,
            policy__is_model=False,
            status=VersionStatus.IN_FORCE,
        )
    )
    chosen = [
        r
        for r in records
        if (r.leaving_date is None or r.leaving_date > today)
        and (settings.scope == Scope.ALL_STAFF or r.works_with_children)
    ]
    with transaction.atomic():
        starters = [r for r in chosen if is_new_starter(r, today)]
        Induction.objects.bulk_create(
            [Induction(staff=r, started_on=max(today, r.start_date or today)) for r in starters],
            ignore_conflicts=True,
            batch_size=1000,
        )
        Assignment.objects.bulk_create(
            [
                Assignment(
                    staff=r,
                    version=v,
                    reason=Reason.INDUCTION if r in starters else Reason.NEW_VERSION,
                    assigned_on=today,
                    due_on=_due(organisation, today, r.start_date),
                )
                for r in chosen
                for v in in_force
            ],
            ignore_conflicts=True,
            batch_size=1000,
        )
        if chosen:
            audit.record(
                "acknowledgements.new_staff_assigned",
                actor=actor,
                organisation=organisation,
                after={"staff": len(chosen), "starters": len(starters), "versions": len(in_force)},
            )
    return len(chosen)


def score(questions: Sequence[Question], answers: dict[int, int]) -> int | None:
    if not questions:
        return None
    right = sum(1 for q in questions if answers.get(q.pk) == q.correct)
    return round(100 * right / len(questions))


def acknowledge(
    assignment: Assignment,
    *,
    user: User,
    answers: dict[int, int] | None = None,
    method: str = Method.WEB,
    now: dt.datetime | None = None,
) -> Acknowledgement:
    """Record that the person read the assigned version, after the check if there is one."""
    now = now or timezone.now()
    with transaction.atomic():
        assignment = (
            Assignment.objects.select_for_update()
            .select_related("version__policy__organisation", "staff")
            .get(pk=assignment.pk)
        )
        version = assignment.version
        if assignment.is_done:
            raise AcknowledgementError("You have already confirmed this version.")
        if version.status != VersionStatus.IN_FORCE:
            raise AcknowledgementError("This version is no longer in force.")
        organisation = version.policy.organisation
        questions = list(version.policy.questions.all())
        result = score(questions, answers or {})
        pass_mark = settings_for(organisation).pass_mark
        if result is not None and result < pass_mark:
            raise AcknowledgementError(
                f"You scored {result}% and the pass mark is {pass_mark}%. "
                "Read the policy again and try the questions once more."
            )
        record = Acknowledgement.objects.filter(staff=assignment.staff, version=version).first()
        if record is None:
            record = Acknowledgement.objects.create(
                staff=assignment.staff,
                version=version,
                content_hash=version.content_hash,
                acknowledged_at=now,
                method=method,
                user=user,
                score=result,
            )
        assignment.acknowledgement = record
        assignment.completed_at = now
        assignment.save(update_fields=["acknowledgement", "completed_at"])
        audit.record(
            "acknowledgements.acknowledged",
            actor=user,
            organisation=organisation,
            obj=record,
            after={
                "staff": assignment.staff_id,
                "version": version.pk,
                "content_hash": version.content_hash,
                "method": method,
                "score": result,
            },
            now=now,
        )
        _complete_induction_if_done(assignment.staff, user, timezone.localdate(now), now)
    return record


def _complete_induction_if_done(
    staff: StaffRecord, actor: User | None, today: dt.date, now: dt.datetime
) -> bool:
    induction = Induction.objects.filter(staff=staff, completed_on__isnull=True).first()
    if induction is None:
        return False
    open_policies = Assignment.objects.filter(
        staff=staff, version__status=VersionStatus.IN_FORCE, completed_at__isnull=True
    ).exists()
    items = set(
        InductionItem.objects.filter(organisation=staff.organisation, active=True).values_list(
            "pk", flat=True
        )
    )
    ticked = set(induction.ticks.values_list("item_id", flat=True))
    if open_policies or items - ticked:
        return False
    induction.completed_on = today
    induction.save(update_fields=["completed_on"])
    audit.record(
        "acknowledgements.induction_completed",
        actor=actor,
        organisation=staff.organisation,
        obj=induction,
        after={"staff": staff.pk, "completed_on": today},
        now=now,
    )
    return True


def tick_induction_item(
    induction: Induction, item: InductionItem, *, actor: User, now: dt.datetime | None = None
) -> InductionTick:
    now = now or timezone.now()
    if item.organisation_id != induction.staff.organisation_id:
        raise AcknowledgementError("That item belongs to another school.")
    with transaction.atomic():
        tick, created = InductionTick.objects.get_or_create(
            induction=induction, item=item, defaults={"done_at": now, "done_by": actor}
        )
        if created:
            audit.record(
                "acknowledgements.induction_item_done",
                actor=actor,
                organisation=induction.staff.organisation,
                obj=tick,
                after={"staff": induction.staff_id, "item": item.title},
                now=now,
            )
            _complete_induction_if_done(induction.staff, actor, timezone.localdate(now), now)
    return tick


def save_settings(
    organisation: Organisation,
    *,
    scope: str,
    due_days: int,
    reminder_every_days: int,
    pass_mark: int,
    actor: User,
) -> AcknowledgementSettings:
    if scope not in Scope.values:
        raise AcknowledgementError(f"unknown scope {scope!r}")
    if not 1 <= due_days <= 365 or not 1 <= reminder_every_days <= 90 or not 0 <= pass_mark <= 100:
        raise AcknowledgementError("a value is out of range")
    with transaction.atomic():
        current = settings_for(organisation)
        before = {
            "scope": current.scope,
            "due_days": current.due_days,
            "reminder_every_days": current.reminder_every_days,
            "pass_mark": current.pass_mark,
        }
        after = {
            "scope": scope,
            "due_days": due_days,
            "reminder_every_days": reminder_every_days,
            "pass_mark": pass_mark,
        }
        saved, _ = AcknowledgementSettings.objects.update_or_create(
            organisation=organisation, defaults=after
        )
        audit.record(
            "acknowledgements.settings_saved",
            actor=actor,
            organisation=organisation,
            obj=saved,
            before=before,
            after=after,
        )
    return saved


def add_induction_item(organisation: Organisation, title: str, *, actor: User) -> InductionItem:
    if not title.strip():
        raise AcknowledgementError("Enter the induction item")
    with transaction.atomic():
        item = InductionItem.objects.create(
            organisation=organisation,
            title=title.strip(),
            position=InductionItem.objects.filter(organisation=organisation).count(),
        )
        audit.record(
            "acknowledgements.induction_item_added",
            actor=actor,
            organisation=organisation,
            obj=item,
            after={"title": item.title},
        )
    return item


def retire_induction_item(item: InductionItem, *, actor: User) -> None:
    with transaction.atomic():
        item.active = False
        item.save(update_fields=["active"])
        audit.record(
            "acknowledgements.induction_item_retired",
            actor=actor,
            organisation=item.organisation,
            obj=item,
            before={"title": item.title},
        )


def add_question(
    policy: Policy, *, text: str, choices: Sequence[str], correct: int, actor: User
) -> Question:
    choices = [c.strip() for c in choices if c.strip()]
    if not text.strip() or len(choices) < 2:
        raise AcknowledgementError("A question needs its text and at least two answers")
    if not 0 <= correct < len(choices):
        raise AcknowledgementError("Choose which answer is right")
    with transaction.atomic():
        question = Question.objects.create(
            policy=policy,
            text=text.strip(),
            choices=choices,
            correct=correct,
            position=policy.questions.count(),
        )
        audit.record(
            "acknowledgements.question_added",
            actor=actor,
            organisation=policy.organisation,
            obj=question,
            after={"text": question.text, "choices": choices, "correct": correct},
        )
    return question


def academic_year(day: dt.date) -> int:
    """The school year a day falls in, named by the calendar year it starts (September)."""
    return day.year if day.month >= 9 else day.year - 1


def record_privacy_check(
    staff: StaffRecord, platforms: Iterable[str], *, user: User, now: dt.datetime | None = None
) -> PrivacyCheck:
    """The person confirms they reviewed each platform's settings. The audit event records
    that it was done, not which platforms: the school never sees the answers."""
    now = now or timezone.now()
    year = academic_year(timezone.localdate(now))
    with transaction.atomic():
        check, created = PrivacyCheck.objects.get_or_create(
            staff=staff,
            year=year,
            defaults={"platforms": sorted(set(platforms)), "completed_at": now},
        )
        if not created:
            raise AcknowledgementError("You have already done this year's privacy check.")
        audit.record(
            "acknowledgements.privacy_check_done",
            actor=user,
            organisation=staff.organisation,
            obj=check,
            after={"staff": staff.pk, "year": year},
            now=now,
        )
    return check
