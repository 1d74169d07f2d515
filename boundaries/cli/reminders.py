"""`boundaries reminders`: run by a timer (cron or a systemd timer), for example hourly."""

from __future__ import annotations

import typer

from boundaries.cli.today import TODAY, today_from


def register(app: typer.Typer) -> None:
    app.command("reminders")(reminders)


def reminders(today: str = TODAY) -> None:
    """Send policy review reminders that are due (each stage once per recipient)."""
    from boundaries.cli import django_setup

    django_setup()
    from boundaries.policies.reminders import send_review_reminders

    typer.echo(send_review_reminders(today_from(today)).line())
