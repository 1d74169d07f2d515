"""The schedule: every job `boundaries worker` runs, how often, and what it calls.

One table in code instead of cron lines, so an authority runs N identical workers and each
job still runs once per slot (see `boundaries.scheduling.worker`). Each job is the same
function its timer command calls, and returns the line that command would print.

A slot is the start of the job's interval, counted in UTC from the Unix epoch: an hourly job
has one slot per clock hour, a daily job one per day starting at midnight UTC.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from boundaries.acknowledgements.reminders import send_due
from boundaries.core.models import Organisation
from boundaries.core.retention import purge
from boundaries.declarations.reconfirmation import send_reconfirmation_reminders
from boundaries.policies.reminders import send_review_reminders
from boundaries.webactivity.actions import purge_expired

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

JobFunction = Callable[[dt.date, dt.datetime], str]


@dataclass(frozen=True)
class Job:
    name: str
    every: dt.timedelta
    command: str  # the timer command that does the same, for cron users
    description: str
    run: JobFunction

    def slot(self, now: dt.datetime) -> dt.datetime:
        return slot_of(self.every, now)


def slot_of(every: dt.timedelta, now: dt.datetime) -> dt.datetime:
    """The start of the interval `now` falls in: the same instant for every worker."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return EPOCH + ((now - EPOCH) // every) * every


def next_slot(jobs: tuple[Job, ...], now: dt.datetime) -> dt.datetime:
    """When the next slot of any job begins, so an idle worker knows how long to sleep."""
    return min(slot_of(job.every, now) + job.every for job in jobs)


def _review_reminders(today: dt.date, now: dt.datetime) -> str:
    return send_review_reminders(today, now).line()


def _reading_reminders(today: dt.date, now: dt.datetime) -> str:
    return send_due(today, now).line()


def _reconfirmation_reminders(today: dt.date, now: dt.datetime) -> str:
    return send_reconfirmation_reminders(today, now).line()


def _weblogs_purge(today: dt.date, now: dt.datetime) -> str:
    schools = Organisation.objects.filter(day_figures__isnull=False).distinct().order_by("slug")
    deleted = sum(purge_expired(school, today=today, actor=None) for school in schools)
    return f"Web use figures: {deleted} deleted."


def _retention_purge(today: dt.date, now: dt.datetime) -> str:
    report = purge(today, now=now)
    return f"Retention: {report.purged} records purged."


JOBS: tuple[Job, ...] = (
    Job(
        "review-reminders",
        HOUR,
        "boundaries reminders",
        "policy review reminders to headteachers and governors",
        _review_reminders,
    ),
    Job(
        "reading-reminders",
        HOUR,
        "boundaries acknowledgements remind",
        "reading reminders, line-manager notices and weekly digests",
        _reading_reminders,
    ),
    Job(
        "reconfirmation-reminders",
        DAY,
        "boundaries declarations remind",
        "yearly re-confirmation of declared connections",
        _reconfirmation_reminders,
    ),
    Job(
        "weblogs-purge",
        DAY,
        "boundaries weblogs purge",
        "web use figures past each school's retention period",
        _weblogs_purge,
    ),
    Job(
        "retention-purge",
        DAY,
        "boundaries retention purge",
        "records past their retention period, with a tombstone each",
        _retention_purge,
    ),
)


def describe_every(every: dt.timedelta) -> str:
    if every == HOUR:
        return "hourly"
    if every == DAY:
        return "daily"
    return f"every {every}"
