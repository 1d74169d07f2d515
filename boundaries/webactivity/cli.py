"""The `--school` mode of `boundaries weblogs analyse`: analyse, save, audit, summarise."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.utils import timezone
from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

from boundaries.cli.errors import CliError
from boundaries.cli.weblogs import summary_lines
from boundaries.core.models import Organisation, User
from boundaries.webactivity.actions import purge_expired
from boundaries.webactivity.ingest import analyse_for_school


def run_for_school(
    files: list[Path],
    *,
    school: str,
    fmt: str,
    columns: str | None,
    as_user: str | None,
    show_progress: bool,
) -> list[str]:
    """Returns the summary lines; raises CliError or WeblogsError with one clear line."""
    organisation = Organisation.objects.filter(slug=school).first()
    if organisation is None:
        raise CliError(f"no organisation with the slug {school!r}")
    actor = None
    if as_user is not None:
        actor = User.objects.filter(username=as_user).first()
        if actor is None:
            raise CliError(f"no user {as_user!r}")
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise CliError(f"{missing[0]}: no such file")
    names = [f.name for f in files]
    if show_progress:
        total = sum(f.stat().st_size for f in files)
        with Progress(BarColumn(), DownloadColumn(), TimeRemainingColumn(), transient=True) as bar:
            task = bar.add_task("analysing", total=total)
            run, analysis = analyse_for_school(
                organisation,
                files,
                fmt=fmt,
                columns=columns,
                actor=actor,
                names=names,
                progress=lambda n: bar.advance(task, n),
            )
    else:
        run, analysis = analyse_for_school(
            organisation, files, fmt=fmt, columns=columns, actor=actor, names=names
        )
    saved = run.days.count()
    span = f" from {run.first_day} to {run.last_day}" if run.first_day else ""
    return [
        f"saved {saved} person-day figures for {organisation.slug}{span} (analysis {run.pk})",
        *summary_lines(analysis),
    ]


def run_purge(*, school: str | None, today: str | None) -> list[str]:
    """Apply each school's retention period; returns one line per school that had figures."""
    try:
        day = dt.date.fromisoformat(today) if today else timezone.localdate()
    except ValueError as error:
        raise CliError(f"--today: {today!r} is not a date like 2026-03-04") from error
    schools = Organisation.objects.filter(day_figures__isnull=False).distinct()
    if school is not None:
        schools = Organisation.objects.filter(slug=school)
        if not schools.exists():
            raise CliError(f"no organisation with the slug {school!r}")
    return [
        f"{org.slug}: {purge_expired(org, today=day, actor=None)} figures deleted"
        for org in schools.order_by("slug")
    ]
