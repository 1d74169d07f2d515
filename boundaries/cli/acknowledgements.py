"""`boundaries acknowledgements remind`: run by a timer, for example hourly."""

from __future__ import annotations

import datetime as dt

import typer

ack_app = typer.Typer(help="Staff reading and acknowledging policies.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(ack_app, name="acknowledgements")


@ack_app.command("remind")
def remind(
    today: str = typer.Option("", help="Pretend today is this date (YYYY-MM-DD)."),
) -> None:
    """Send reminders that are due, tell line managers of overdue reading, weekly digests."""
    from django.utils import timezone

    from boundaries.cli import django_setup
    from boundaries.cli.errors import CliError

    django_setup()
    from boundaries.acknowledgements.reminders import send_due

    try:
        day = dt.date.fromisoformat(today) if today else timezone.localdate()
    except ValueError:
        raise CliError(f"--today must be a date like 2026-11-24, not {today!r}") from None
    run = send_due(day)
    typer.echo(run.line())
