"""Every write of the web-activity report, each in one transaction with its audit event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from boundaries.core import audit
from boundaries.core.models import Organisation, StaffRecord, User
from boundaries.core.refusals import refused_step
from boundaries.webactivity.identity_import import MappingRow
from boundaries.webactivity.inputs import settings_for, staff_id_of
from boundaries.webactivity.models import (
    AnalysisRun,
    ChallengeStatus,
    DayFigure,
    FigureChallenge,
    IdentityMapping,
    SourceLog,
    WebActivitySettings,
    WorkUseMark,
)
from engines.weblogs import Analysis, DayUse


class WebActivityError(Exception):
    """A refused change, phrased for the person who asked for it."""


def save_analysis(
    organisation: Organisation,
    analysis: Analysis,
    *,
    actor: User | None,
    names: Sequence[str] | None = None,
    now: dt.datetime | None = None,
) -> AnalysisRun:
    """Store the aggregates of one analysis; the days it covers replace what was stored.

    A working day analysed again (the same file, or a fuller one) replaces that day's
    figures for everyone, so the same file twice never counts twice. Earlier runs left
    with no figures are removed with their checksums.
    """
    now = now or timezone.now()
    names = list(names) if names is not None else [s.path for s in analysis.sources]
    staff_ids = set(
        StaffRecord.objects.filter(organisation=organisation).values_list("pk", flat=True)
    )
    days: list[tuple[int, DayUse]] = []
    for day in analysis.days:
        staff_id = staff_id_of(day.person)
        if staff_id is not None and staff_id in staff_ids:
            days.append((staff_id, day))
    dates = sorted({d.date for _, d in days})
    with transaction.atomic():
        replaced = DayFigure.objects.filter(organisation=organisation, date__in=dates).count()
        DayFigure.objects.filter(organisation=organisation, date__in=dates).delete()
        run = AnalysisRun.objects.create(
            organisation=organisation,
            created_at=now,
            created_by=actor,
            engine_version=analysis.engine_version,
            rules_fingerprint=analysis.rules_fingerprint,
            format=analysis.format,
            lines=analysis.lines,
            unparsed_lines=analysis.unparsed_lines,
            unmapped_lines=analysis.unmapped_lines,
            unmapped_identities=len(analysis.unmapped_identities),
            unmapped_platform_lines=analysis.unmapped_platform_lines,
            work_use_requests=analysis.work_use_requests,
            first_day=dates[0] if dates else None,
            last_day=dates[-1] if dates else None,
        )
        SourceLog.objects.bulk_create(
            SourceLog(
                run=run,
                name=name.rsplit("/", 1)[-1][:255],
                sha256=s.sha256,
                compression=s.compression,
                size=s.size,
                lines=s.lines,
                unparsed_lines=s.unparsed_lines,
            )
            for name, s in zip(names, analysis.sources, strict=True)
        )
        DayFigure.objects.bulk_create(
            (
                DayFigure(
                    organisation=organisation,
                    run=run,
                    staff_id=staff_id,
                    date=d.date,
                    requests=d.requests,
                    social_requests=d.social_requests,
                    social_minutes=d.social_minutes,
                    blocked_social_requests=d.blocked_social_requests,
                    platforms=dict(d.platforms),
                )
                for staff_id, d in days
            ),
            batch_size=500,
        )
        shas = [source.sha256 for source in analysis.sources]
        emptied = (
            AnalysisRun.objects.filter(organisation=organisation, days__isnull=True)
            .exclude(pk=run.pk)
            .filter(Q(first_day__isnull=False) | Q(sources__sha256__in=shas))
            .distinct()
        )
        expired = _delete_expired(organisation, now.date())
        removed = list(emptied.values_list("pk", flat=True))
        AnalysisRun.objects.filter(pk__in=removed).delete()
        audit.record(
            "webactivity.analysed",
            actor=actor,
            organisation=organisation,
            obj=run,
            after={
                "files": [
                    [n.rsplit("/", 1)[-1], s.sha256]
                    for n, s in zip(names, analysis.sources, strict=True)
                ],
                "engine_version": analysis.engine_version,
                "rules_fingerprint": analysis.rules_fingerprint,
                "format": analysis.format,
                "days": len(dates),
                "figures": len(days),
                "figures_replaced": replaced,
                "runs_removed": removed,
                "expired_figures_deleted": expired,
                "unparsed_lines": analysis.unparsed_lines,
                "unmapped_lines": analysis.unmapped_lines,
            },
            now=now,
        )
    return run


def _delete_expired(organisation: Organisation, today: dt.date) -> int:
    retention = settings_for(organisation).retention_days
    expired, _ = DayFigure.objects.filter(
        organisation=organisation, date__lt=today - dt.timedelta(days=retention)
    ).delete()
    AnalysisRun.objects.filter(organisation=organisation, days__isnull=True).exclude(
        first_day__isnull=True
    ).delete()
    return int(expired)


def purge_expired(organisation: Organisation, *, today: dt.date, actor: User | None) -> int:
    """Delete figures older than the school's retention period; run daily by a timer, so
    figures expire even when no new log is analysed."""
    with transaction.atomic():
        deleted = _delete_expired(organisation, today)
        if deleted:
            audit.record(
                "webactivity.figures_expired",
                actor=actor,
                organisation=organisation,
                after={"deleted": deleted, "today": today.isoformat()},
            )
    return deleted


def save_settings(
    organisation: Organisation,
    *,
    threshold_minutes: int,
    retention_days: int,
    match_email_logins: bool,
    actor: User,
) -> WebActivitySettings:
    with transaction.atomic():
        settings, _ = WebActivitySettings.objects.select_for_update().get_or_create(
            organisation=organisation
        )
        fields = ("threshold_minutes", "retention_days", "match_email_logins")
        before = {f: getattr(settings, f) for f in fields}
        settings.threshold_minutes = threshold_minutes
        settings.retention_days = retention_days
        settings.match_email_logins = match_email_logins
        settings.save()
        audit.record(
            "webactivity.settings_changed",
            actor=actor,
            organisation=organisation,
            obj=settings,
            before=before,
            after={f: getattr(settings, f) for f in fields},
        )
    return settings


def replace_identities(
    organisation: Organisation, rows: list[MappingRow], *, actor: User, source: str
) -> int:
    """All-or-nothing: the school's uploaded mappings become exactly these rows."""
    with transaction.atomic():
        before = IdentityMapping.objects.filter(organisation=organisation).count()
        IdentityMapping.objects.filter(organisation=organisation).delete()
        IdentityMapping.objects.bulk_create(
            IdentityMapping(
                organisation=organisation,
                staff_id=r.staff_id,
                login=r.login,
                ip=r.ip or None,
                valid_from=r.valid_from,
                valid_to=r.valid_to,
            )
            for r in rows
        )
        audit.record(
            "webactivity.identities_replaced",
            actor=actor,
            organisation=organisation,
            before={"mappings": before},
            after={"mappings": len(rows), "source": source},
        )
    return len(rows)


def mark_work_use(
    organisation: Organisation, platform: str, staff: StaffRecord | None, *, actor: User
) -> WorkUseMark:
    with transaction.atomic():
        mark, created = WorkUseMark.objects.get_or_create(
            organisation=organisation, platform=platform, staff=staff
        )
        if created:
            audit.record(
                "webactivity.work_use_marked",
                actor=actor,
                organisation=organisation,
                obj=mark,
                after={"platform": platform, "staff": staff.pk if staff else None},
            )
    return mark


def unmark_work_use(mark: WorkUseMark, *, actor: User) -> None:
    with transaction.atomic():
        audit.record(
            "webactivity.work_use_unmarked",
            actor=actor,
            organisation=mark.organisation,
            obj=mark,
            before={"platform": mark.platform, "staff": mark.staff_id},
        )
        mark.delete()


def record_named_view(
    organisation: Organisation, staff: StaffRecord, *, reason: str, actor: User
) -> None:
    """A named drill-down is a sensitive read: it is written down with its reason."""
    reason = reason.strip()
    if len(reason) < 10:
        raise WebActivityError("Give a reason of at least 10 characters")
    with transaction.atomic():
        audit.record(
            "webactivity.named_view",
            actor=actor,
            organisation=organisation,
            obj=staff,
            after={"staff": staff.pk, "reason": reason},
        )


def challenge_figure(
    figure: DayFigure, *, note: str, actor: User, now: dt.datetime | None = None
) -> FigureChallenge:
    note = note.strip()
    if not note:
        raise WebActivityError("Say what is wrong with the figure")
    with transaction.atomic():
        challenge = FigureChallenge.objects.create(
            organisation=figure.organisation,
            staff=figure.staff,
            date=figure.date,
            minutes_shown=figure.social_minutes,
            note=note,
            created_at=now or timezone.now(),
        )
        audit.record(
            "webactivity.figure_challenged",
            actor=actor,
            organisation=figure.organisation,
            obj=challenge,
            after={"date": figure.date.isoformat(), "minutes_shown": figure.social_minutes},
        )
    return challenge


def transition(
    challenge: FigureChallenge, to: str, *, answer: str, actor: User, now: dt.datetime | None = None
) -> FigureChallenge:
    """The one way a challenge changes state; moves not in CHALLENGE_MOVES are refused."""
    if not challenge.can_move_to(to):
        refused_step(challenge, to, actor=actor, reason="move")
        raise WebActivityError(
            f"A challenge that is {challenge.get_status_display().lower()} cannot change"
        )
    if to == ChallengeStatus.ANSWERED and not answer.strip():
        raise WebActivityError("Write the answer the member of staff will see")
    with transaction.atomic():
        before = challenge.status
        challenge.status = to
        challenge.answer = answer.strip()
        challenge.answered_at = now or timezone.now()
        challenge.save(update_fields=["status", "answer", "answered_at"])
        audit.record(
            "webactivity.challenge_answered",
            actor=actor,
            organisation=challenge.organisation,
            obj=challenge,
            before={"status": before},
            after={"status": to},
        )
    return challenge
