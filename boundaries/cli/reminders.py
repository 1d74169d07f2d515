"""`boundaries reminders`: run by a timer (cron or a systemd timer), for example hourly."""

from __future__ import annotations

import datetime as dt

import typer


def register(app: typer.Typer) -> None:
    app.command("reminders")(reminders)


def reminders(
    today: str = typer.Option("", help="Pretend today is this date (YYYY-MM-DD)."),
) -> None:
    """Send policy review reminders that are due (each stage once per recipient)."""
    from django.utils import timezone

    from boundaries.cli import django_setup
    from boundaries.cli.errors import CliError

    django_setup()
    from boundaries.policies.reminders import send_review_reminders

    try:
        day = dt.date.fromisoformat(today) if today else timezone.localdate()
    except ValueError:
        raise CliError(f"--today must be a date like 2026-11-24, not {today!r}") from None
    run = send_review_reminders(day)
    typer.echo(run.line())
