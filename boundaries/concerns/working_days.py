"""Deadlines in a school's working days (the LADO referral is due within one working day)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from boundaries.core.models import Organisation, WorkingCalendar

DEFAULT_LADO_WORKING_DAYS = 1


def lado_working_days() -> int:
    return int(getattr(settings, "LADO_REFERRAL_WORKING_DAYS", DEFAULT_LADO_WORKING_DAYS))


def is_working_day(day: dt.date, weekdays: set[int], closed: set[str]) -> bool:
    return day.weekday() in weekdays and day.isoformat() not in closed


def add_working_days(start: dt.date, days: int, weekdays: set[int], closed: set[str]) -> dt.date:
    """The day `days` working days after `start` (start itself does not count)."""
    if not weekdays:
        raise ValueError("a calendar needs at least one working weekday")
    day = start
    remaining = days
    while remaining > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day, weekdays, closed):
            remaining -= 1
    return day


def lado_deadline(organisation: Organisation, decided_on: dt.date) -> dt.date:
    """Counted on the school's working weekdays, skipping its closed days. School holidays
    are not skipped: the LADO and the DSL's duty do not stop in the holidays."""
    calendar = WorkingCalendar.objects.filter(organisation=organisation).first()
    weekdays = set(calendar.weekdays) if calendar else {0, 1, 2, 3, 4}
    closed = set(calendar.closed_days) if calendar else set()
    return add_working_days(decided_on, lado_working_days(), weekdays, closed)
