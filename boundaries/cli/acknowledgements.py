"""`boundaries acknowledgements remind`: run by a timer, for example hourly."""

from __future__ import annotations

import typer

from boundaries.cli.today import TODAY, today_from

ack_app = typer.Typer(help="Staff reading and acknowledging policies.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(ack_app, name="acknowledgements")


@ack_app.command("remind")
def remind(today: str = TODAY) -> None:
    """Send reminders that are due, tell line managers of overdue reading, weekly digests."""
    from boundaries.cli import django_setup

    django_setup()
    from boundaries.acknowledgements.reminders import send_due

    typer.echo(send_due(today_from(today)).line())
