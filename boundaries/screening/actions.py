"""Writes for the post checker: the school's aliases and a default working calendar.

Checking a post is not a write and has no action: nothing about it is stored.
"""

from __future__ import annotations

from django.db import transaction

from boundaries.core import audit
from boundaries.core.models import Organisation, User, WorkingCalendar
from boundaries.screening.models import ScreeningSettings


def ensure_working_calendar(organisation: Organisation, *, actor: User | None) -> WorkingCalendar:
    """The school's calendar, created with the usual school day when it has none yet."""
    found = WorkingCalendar.objects.filter(organisation=organisation).first()
    if found is not None:
        return found
    with transaction.atomic():
        calendar, created = WorkingCalendar.objects.get_or_create(organisation=organisation)
        if created:
            audit.record(
                "calendar.created_default",
                actor=actor,
                organisation=organisation,
                obj=calendar,
                after=calendar.as_engine_dict(),
            )
    return calendar


def clean_aliases(lines: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for line in lines:
        alias = " ".join(line.split())
        if alias and alias.lower() not in seen:
            seen[alias.lower()] = alias
    return list(seen.values())


def save_aliases(
    organisation: Organisation, aliases: list[str], *, actor: User | None
) -> ScreeningSettings:
    with transaction.atomic():
        settings, _ = ScreeningSettings.objects.select_for_update().get_or_create(
            organisation=organisation
        )
        before = list(settings.aliases)
        settings.aliases = clean_aliases(aliases)
        settings.save()
        audit.record(
            "screening.aliases_changed",
            actor=actor,
            organisation=organisation,
            obj=settings,
            before={"aliases": before},
            after={"aliases": settings.aliases},
        )
    return settings
