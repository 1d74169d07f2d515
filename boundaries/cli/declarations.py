"""`boundaries declarations remind`: yearly re-confirmation reminders, run by a timer."""

from __future__ import annotations

import datetime as dt

import typer

app = typer.Typer(
    help="Declared connections with parents, carers and pupils.", no_args_is_help=True
)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="declarations")


@app.command("remind")
def remind(
    today: str = typer.Option("", help="Pretend today is this date (YYYY-MM-DD)."),
) -> None:
    """Email staff whose declarations are due for their yearly re-confirmation (once each)."""
    from boundaries.cli import django_setup
    from boundaries.cli.errors import CliError

    django_setup()
    from django.utils import timezone

    from boundaries.declarations.reconfirmation import send_reconfirmation_reminders

    try:
        day = dt.date.fromisoformat(today) if today else timezone.localdate()
    except ValueError:
        raise CliError(f"--today must be a date like 2026-11-24, not {today!r}") from None
    run = send_reconfirmation_reminders(day)
    typer.echo(run.line())
